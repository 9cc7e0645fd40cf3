package org.ldrtestbed.routes.referral;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (d): what a simulated e-Referral Service does with a GP's referral. It gives the referral a Unique
 * Booking Reference Number (UBRN, 12 digits, derived from the referral so that a redelivery gets the same one) and
 * puts it in the provider's triage worklist as a Task in state AWAITING_TRIAGE.
 */
public final class EReferralTranslator {

    public static final String UBRN_SYSTEM = "https://fhir.nhs.uk/Id/UBRN";
    public static final String REFERRAL_STATE = "https://fhir.nhs.uk/CodeSystem/eRS-ReferralState";
    public static final String PRIORITY = "https://fhir.nhs.uk/CodeSystem/eRS-Priority";

    public Bundle toTriage(ServiceRequest referral) {
        String id = referral.getIdElement().getIdPart();
        if (id == null) {
            throw new InvalidMessageException("The referral has no id in the record it was written to");
        }
        Identifier nhs = PatientReferences.nhsNumber(
                referral.getSubject(),
                "e-RS needs the patient's valid NHS number in ServiceRequest.subject.identifier");
        if (!referral.hasPerformer()) {
            throw new InvalidMessageException("ServiceRequest.performer must name the provider referred to");
        }
        if (!referral.hasRequester()) {
            throw new InvalidMessageException("ServiceRequest.requester must name the referring clinician");
        }
        String ubrn = ubrn(id);
        Task triage = new Task();
        triage.addIdentifier(new Identifier().setSystem(UBRN_SYSTEM).setValue(ubrn));
        triage.setStatus(Task.TaskStatus.REQUESTED);
        triage.setBusinessStatus(new CodeableConcept(new Coding(REFERRAL_STATE, "AWAITING_TRIAGE", "Awaiting triage")));
        triage.setIntent(Task.TaskIntent.ORDER);
        triage.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
        triage.setDescription("e-RS referral " + ubrn + " (" + priority(referral) + "): "
                + (referral.getCode().hasText() ? referral.getCode().getText() : "referral"));
        triage.setFocus(new Reference("ServiceRequest/" + id));
        triage.setFor(new Reference(referral.getSubject().getReference()).setIdentifier(nhs.copy()));
        triage.setOwner(referral.getPerformerFirstRep().copy());
        triage.setRequester(referral.getRequester().copy());
        triage.setAuthoredOn(referral.getAuthoredOn());
        triage.addInput()
                .setType(new CodeableConcept(new Coding(PRIORITY, priority(referral), null)))
                .setValue(new org.hl7.fhir.r4.model.StringType(priority(referral)));

        return Filings.createOnce(triage, UBRN_SYSTEM, ubrn);
    }

    /** e-RS priorities: routine, urgent, and two-week wait for suspected cancer (FHIR stat). */
    static String priority(ServiceRequest referral) {
        if (referral.getPriority() == null) {
            return "ROUTINE";
        }
        return switch (referral.getPriority()) {
            case URGENT, ASAP -> "URGENT";
            case STAT -> "TWO_WEEK_WAIT";
            default -> "ROUTINE";
        };
    }

    /** A 12-digit UBRN, the same for the same referral. */
    static String ubrn(String referralId) {
        long value = Math.floorMod((long) referralId.hashCode() * 2654435761L, 1_000_000_000_000L);
        return String.format("%012d", value);
    }
}
