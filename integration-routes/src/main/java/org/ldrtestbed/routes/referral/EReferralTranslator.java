package org.ldrtestbed.routes.referral;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (d): a GP's referral as the (simulated) e-Referral Service takes it: given a Unique Booking Reference
 * Number (UBRN, 12 digits, derived from the referral so that a redelivery gets the same one). The provider's
 * triage worklist entry is {@link EReferralDelivery}'s.
 */
public final class EReferralTranslator {

    public static final String UBRN_SYSTEM = "https://fhir.nhs.uk/Id/UBRN";
    public static final String REFERRAL_STATE = "https://fhir.nhs.uk/CodeSystem/eRS-ReferralState";
    public static final String PRIORITY = "https://fhir.nhs.uk/CodeSystem/eRS-Priority";

    /**
     * The referral as e-RS holds it: the GP's ServiceRequest with its UBRN (identifier), naming the patient by NHS
     * number.
     *
     * @throws InvalidMessageException when e-RS would refuse it
     */
    public ServiceRequest toReferral(ServiceRequest referral) {
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
        ServiceRequest sent = referral.copy();
        sent.addIdentifier(new Identifier().setSystem(UBRN_SYSTEM).setValue(ubrn(id)));
        sent.setSubject(new Reference(referral.getSubject().getReference()).setIdentifier(nhs.copy()));
        return sent;
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
