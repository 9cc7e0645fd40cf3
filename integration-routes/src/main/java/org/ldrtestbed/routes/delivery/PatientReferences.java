package org.ldrtestbed.routes.delivery;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.identity.contract.NhsNumber;

/** Checks on how a message names its patient. */
public final class PatientReferences {

    private PatientReferences() {}

    /**
     * The valid NHS number a reference carries in its identifier.
     *
     * @param rule what the message breaks without one, for the sender
     * @throws InvalidMessageException when there is none, or it fails the Modulus 11 check
     */
    public static Identifier nhsNumber(Reference subject, String rule) {
        Identifier nhs = subject == null ? null : subject.getIdentifier();
        if (nhs == null || !NhsNumber.SYSTEM.equals(nhs.getSystem()) || !NhsNumber.isValid(nhs.getValue())) {
            throw new InvalidMessageException(rule);
        }
        return nhs;
    }

    /**
     * The valid NHS number of the patient a message references, read from the recipient's record (messages that
     * name the patient only by reference, as most record entries do).
     *
     * @param service who needs it, for the sender (e.g. {@code CP-IS})
     */
    public static String nhsNumberOf(Reference patient, RecordDelivery record, String service) {
        return record.read(org.hl7.fhir.r4.model.Patient.class, patient.getReference()).getIdentifier().stream()
                .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue)
                .filter(NhsNumber::isValid)
                .findFirst()
                .orElseThrow(() -> new InvalidMessageException(
                        service + " needs the patient's valid NHS number; " + patient.getReference() + " has none"));
    }
}
