package org.ldrtestbed.routes.referral;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.PatientReferences;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Sends the BaRS request message to the receiver's (simulated) {@code $process-message} endpoint, and files it in
 * the receiver's worklist as a Task, so the crew or department sees why the patient is coming before they arrive.
 * The message names the patient by the NHS number the shared record holds for the referral's patient.
 */
public final class BarsReferralDelivery implements FlowDelivery<Bundle> {

    public static final String REFERRAL_SYSTEM = "https://fhir.ldr-testbed.example/Id/bars-referral";

    private final FhirContext fhirContext;
    private final NationalService receiver;
    private final RecordDelivery record;

    public BarsReferralDelivery(FhirContext fhirContext, NationalService receiver, RecordDelivery record) {
        this.fhirContext = fhirContext;
        this.receiver = receiver;
        this.record = record;
    }

    @Override
    public String deliver(Bundle message) {
        ServiceRequest referral = BarsReferralTranslator.referral(message);
        String nhsNumber = PatientReferences.nhsNumberOf(referral.getSubject(), record, "BaRS");
        referral.getSubject()
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber));
        receiver.post(
                "/bars/FHIR/R4/$process-message", fhirContext.newJsonParser().encodeResourceToString(message));
        return RecordDelivery.summarise(record.deliver(worklistEntry(referral)));
    }

    /** The receiver's worklist entry for the referral, once per referral. */
    public static Bundle worklistEntry(ServiceRequest referral) {
        String id = referral.getIdElement().getIdPart();
        Task incoming = new Task();
        incoming.addIdentifier(new Identifier().setSystem(REFERRAL_SYSTEM).setValue(id));
        incoming.setStatus(Task.TaskStatus.REQUESTED);
        incoming.setBusinessStatus(new CodeableConcept().setText("Referral received (BaRS)"));
        incoming.setIntent(Task.TaskIntent.ORDER);
        incoming.setPriority(
                referral.getPriority() == null
                        ? Task.TaskPriority.ROUTINE
                        : Task.TaskPriority.fromCode(referral.getPriority().toCode()));
        incoming.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
        incoming.setDescription("BaRS referral: "
                + (referral.getCode().hasText() ? referral.getCode().getText() : "urgent care referral")
                + (referral.hasNote() ? " - " + referral.getNoteFirstRep().getText() : ""));
        incoming.setFocus(new Reference("ServiceRequest/" + id));
        incoming.setFor(new Reference(referral.getSubject().getReference()));
        incoming.setOwner(referral.getPerformerFirstRep().copy());
        incoming.setRequester(referral.getRequester().copy());
        incoming.setAuthoredOn(referral.getAuthoredOn());
        return Filings.createOnce(incoming, REFERRAL_SYSTEM, id);
    }
}
