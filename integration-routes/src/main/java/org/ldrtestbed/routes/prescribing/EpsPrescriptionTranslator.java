package org.ldrtestbed.routes.prescribing;

import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (i): a GP's signed prescription as the EPS FHIR API's {@code prescription-order} message: the
 * MedicationRequest, carrying its short-form prescription ID (with its check character) as groupIdentifier,
 * addressed from the prescribing practice to the nominated pharmacy.
 */
public final class EpsPrescriptionTranslator {

    /** A prescription ready to send: the request, its short-form ID, who wrote it and where it is to be dispensed. */
    public record Prescription(MedicationRequest request, String shortFormId, String prescriber, String pharmacy) {}

    /**
     * The prescription-order message, and the prescription it orders.
     *
     * @param message the EPS message Bundle (MessageHeader event prescription-order, then the MedicationRequest)
     */
    public record PrescriptionOrder(Prescription prescription, Bundle message) {}

    /**
     * @param now when the order is sent (Bundle.timestamp)
     * @throws InvalidMessageException when EPS would refuse the prescription
     */
    public PrescriptionOrder toOrder(MedicationRequest request, Instant now) {
        PatientReferences.nhsNumber(
                request.getSubject(),
                "EPS needs the patient's valid NHS number in MedicationRequest.subject.identifier");
        Prescriptions.check(request);
        String prescriber = RecordAttribution.organisationOf(request.getMeta().getSource())
                .orElseThrow(
                        () -> new InvalidMessageException("The prescription does not say which practice wrote it"));
        Prescription prescription = new Prescription(
                request,
                Prescriptions.shortFormId(request.getIdElement().getIdPart(), prescriber),
                prescriber,
                Prescriptions.pharmacy(request));
        MedicationRequest sent = request.copy();
        sent.setGroupIdentifier(
                new Identifier().setSystem(Prescriptions.SHORT_FORM_ID).setValue(prescription.shortFormId()));
        return new PrescriptionOrder(
                prescription,
                Prescriptions.message("prescription-order", prescriber, prescription.pharmacy(), now, sent));
    }
}
