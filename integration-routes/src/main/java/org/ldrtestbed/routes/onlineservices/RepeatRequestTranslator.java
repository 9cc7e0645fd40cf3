package org.ldrtestbed.routes.onlineservices;

import org.hl7.fhir.r4.model.MedicationRequest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (j): a patient's online repeat order as the practice receives it: a MedicationRequest {@code proposal}
 * naming the patient by NHS number, based on exactly one of the practice's repeat authorisations.
 */
public final class RepeatRequestTranslator {

    /** @throws InvalidMessageException when it is not a repeat request the practice could act on */
    public MedicationRequest toRepeatRequest(MedicationRequest request) {
        if (request.getIdElement().getIdPart() == null) {
            throw new InvalidMessageException("The repeat request has no id in the record it was written to");
        }
        PatientReferences.nhsNumber(
                request.getSubject(), "A repeat request needs the patient's valid NHS number in subject.identifier");
        if (request.getBasedOn().size() != 1
                || !"MedicationRequest"
                        .equals(request.getBasedOnFirstRep()
                                .getReferenceElement()
                                .getResourceType())) {
            throw new InvalidMessageException(
                    "A repeat request is based on exactly one repeat authorisation (MedicationRequest.basedOn)");
        }
        return request;
    }
}
