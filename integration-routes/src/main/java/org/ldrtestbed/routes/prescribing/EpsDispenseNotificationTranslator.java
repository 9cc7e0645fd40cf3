package org.ldrtestbed.routes.prescribing;

import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (i): the pharmacy's dispense as the EPS FHIR API's {@code dispense-notification} message: the
 * MedicationDispense, naming the patient by NHS number and the prescription it fulfils, sent by the pharmacy.
 */
public final class EpsDispenseNotificationTranslator {

    /**
     * The dispense-notification message, and what was dispensed.
     *
     * @param message the EPS message Bundle (MessageHeader event dispense-notification, then the MedicationDispense);
     *     addressed on delivery to the practice that wrote the prescription, which the shared record knows
     * @param dispense the MedicationDispense as stored (its id keys the practice's notification)
     * @param pharmacy ODS code of the dispensing pharmacy
     */
    public record DispenseNotification(Bundle message, MedicationDispense dispense, String pharmacy) {}

    /**
     * @param now when the notification is sent (Bundle.timestamp)
     * @throws InvalidMessageException when EPS would refuse it
     */
    public DispenseNotification toNotification(MedicationDispense dispense, Instant now) {
        PatientReferences.nhsNumber(
                dispense.getSubject(),
                "EPS needs the patient's valid NHS number in MedicationDispense.subject.identifier");
        if (!dispense.hasAuthorizingPrescription()
                || !"MedicationRequest"
                        .equals(dispense.getAuthorizingPrescriptionFirstRep()
                                .getReferenceElement()
                                .getResourceType())) {
            throw new InvalidMessageException(
                    "MedicationDispense.authorizingPrescription must reference the MedicationRequest dispensed");
        }
        String pharmacy = RecordAttribution.organisationOf(dispense.getMeta().getSource())
                .orElseThrow(() -> new InvalidMessageException("The dispense does not say which pharmacy made it"));
        return new DispenseNotification(
                Prescriptions.message("dispense-notification", pharmacy, null, now, dispense.copy()),
                dispense,
                pharmacy);
    }
}
