package org.ldrtestbed.routes.referral;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * What e-RS does with a referral that has its UBRN: puts it in the provider's triage worklist as a Task in state
 * AWAITING_TRIAGE, once per UBRN.
 */
public final class EReferralDelivery implements FlowDelivery<ServiceRequest> {

    private static final String UBRN_SYSTEM = EReferralTranslator.UBRN_SYSTEM;
    private static final String REFERRAL_STATE = EReferralTranslator.REFERRAL_STATE;
    private static final String PRIORITY = EReferralTranslator.PRIORITY;

    private final RecordDelivery provider;

    public EReferralDelivery(RecordDelivery provider) {
        this.provider = provider;
    }

    @Override
    public String deliver(ServiceRequest referral) {
        return RecordDelivery.summarise(provider.deliver(triage(referral)));
    }

    /** The triage worklist entry for an e-RS referral (one the translator gave a UBRN). */
    public static Bundle triage(ServiceRequest referral) {
        String id = referral.getIdElement().getIdPart();
        String ubrn = ubrn(referral);
        String priority = EReferralTranslator.priority(referral);
        Identifier nhs = referral.getSubject().getIdentifier();
        Task triage = new Task();
        triage.addIdentifier(new Identifier().setSystem(UBRN_SYSTEM).setValue(ubrn));
        triage.setStatus(Task.TaskStatus.REQUESTED);
        triage.setBusinessStatus(new CodeableConcept(new Coding(REFERRAL_STATE, "AWAITING_TRIAGE", "Awaiting triage")));
        triage.setIntent(Task.TaskIntent.ORDER);
        triage.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
        triage.setDescription("e-RS referral " + ubrn + " (" + priority + "): "
                + (referral.getCode().hasText() ? referral.getCode().getText() : "referral"));
        triage.setFocus(new Reference("ServiceRequest/" + id));
        triage.setFor(new Reference(referral.getSubject().getReference()).setIdentifier(nhs.copy()));
        triage.setOwner(referral.getPerformerFirstRep().copy());
        triage.setRequester(referral.getRequester().copy());
        triage.setAuthoredOn(referral.getAuthoredOn());
        triage.addInput()
                .setType(new CodeableConcept(new Coding(PRIORITY, priority, null)))
                .setValue(new org.hl7.fhir.r4.model.StringType(priority));

        return Filings.createOnce(triage, UBRN_SYSTEM, ubrn);
    }

    static String ubrn(ServiceRequest referral) {
        return referral.getIdentifier().stream()
                .filter(i -> UBRN_SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("An e-RS referral has a UBRN"));
    }
}
