package org.ldrtestbed.routes.onlineservices;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Slot;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * Capability (j): a patient books a GP appointment online. The patient-facing service's request (an Appointment in
 * state {@code proposed} for one free Slot of the practice's Schedule) is booked in the GP system: the Slot becomes
 * busy and the Appointment {@code booked}, in one transaction guarded by the Slot's version, so two patients can
 * never book the same slot. A slot already taken is refused with the reason; a redelivery changes nothing.
 */
public class AppointmentBookingRoute extends FlowRoute<Appointment> {

    public static final String FLOW_CODE = "online-appointment-booking";

    private final FhirContext fhirContext;
    private final RecordDelivery delivery;

    public AppointmentBookingRoute(
            SharingFlow flow, MessageLog log, int consumers, FhirContext fhirContext, RecordDelivery delivery) {
        super(flow, log, consumers);
        this.fhirContext = fhirContext;
        this.delivery = delivery;
    }

    @Override
    protected Appointment translate(String message) {
        Appointment request = parseStored(fhirContext, Appointment.class, message, "appointment request");
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

    @Override
    protected String describe(Appointment request) {
        return "book " + request.getSlotFirstRep().getReference() + " for Appointment/"
                + request.getIdElement().getIdPart();
    }

    @Override
    protected String deliver(Appointment request) {
        Appointment current = delivery.read(
                Appointment.class, "Appointment/" + request.getIdElement().getIdPart());
        if (current.getStatus() == Appointment.AppointmentStatus.BOOKED) {
            return "already booked: Appointment/" + current.getIdElement().getIdPart();
        }
        Slot slot = delivery.read(Slot.class, request.getSlotFirstRep().getReference());
        if (slot.getStatus() != Slot.SlotStatus.FREE) {
            throw new InvalidMessageException("Slot/" + slot.getIdElement().getIdPart() + " is "
                    + slot.getStatus().toCode() + ", not free");
        }
        return RecordDelivery.summarise(delivery.deliver(booking(current, slot)));
    }

    static Bundle booking(Appointment appointment, Slot slot) {
        Slot busy = slot.copy();
        busy.setStatus(Slot.SlotStatus.BUSY);
        Appointment booked = appointment.copy();
        booked.setStatus(Appointment.AppointmentStatus.BOOKED);
        booked.setStart(slot.getStart());
        booked.setEnd(slot.getEnd());
        booked.getParticipant().forEach(p -> p.setStatus(Appointment.ParticipationStatus.ACCEPTED));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        String slotId = slot.getIdElement().getIdPart();
        transaction
                .addEntry()
                .setResource(busy)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Slot/" + slotId)
                // Optimistic locking: a concurrent booking of the same slot fails here instead of double-booking.
                .setIfMatch("W/\"" + slot.getIdElement().getVersionIdPart() + "\"");
        String appointmentId = appointment.getIdElement().getIdPart();
        transaction
                .addEntry()
                .setResource(booked)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Appointment/" + appointmentId);
        busy.setId("Slot/" + slotId);
        booked.setId("Appointment/" + appointmentId);
        return transaction;
    }
}
