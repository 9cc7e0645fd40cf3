package org.ldrtestbed.routes.onlineservices;

import org.hl7.fhir.r4.model.Appointment;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * Capability (j): a patient's online booking request as GP Connect Appointment Management takes it: an Appointment
 * in state {@code proposed} for exactly one Slot of the practice's Schedule, with the patient among its
 * participants.
 */
public final class AppointmentBookingTranslator {

    /** @throws InvalidMessageException when it is not a booking the GP system could take */
    public Appointment toBookingRequest(Appointment request) {
        if (request.getIdElement().getIdPart() == null) {
            throw new InvalidMessageException("The appointment request has no id in the record it was written to");
        }
        if (request.getSlot().size() != 1) {
            throw new InvalidMessageException("An online booking names exactly one Slot in Appointment.slot");
        }
        if (request.getParticipant().stream()
                .noneMatch(
                        p -> "Patient".equals(p.getActor().getReferenceElement().getResourceType()))) {
            throw new InvalidMessageException("Appointment.participant must include the Patient booking");
        }
        return request;
    }
}
