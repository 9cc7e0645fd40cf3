package org.ldrtestbed.routes.onlineservices;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Slot;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Books the request in the GP system: the Slot becomes busy and the Appointment {@code booked}, in one transaction
 * guarded by the Slot's version, so two patients can never book the same slot. A slot already taken is refused with
 * the reason; a redelivery changes nothing.
 */
public final class AppointmentBookingDelivery implements FlowDelivery<Appointment> {

    private final RecordDelivery practice;

    public AppointmentBookingDelivery(RecordDelivery practice) {
        this.practice = practice;
    }

    @Override
    public String deliver(Appointment request) {
        Appointment current = practice.read(
                Appointment.class, "Appointment/" + request.getIdElement().getIdPart());
        if (current.getStatus() == Appointment.AppointmentStatus.BOOKED) {
            return "already booked: Appointment/" + current.getIdElement().getIdPart();
        }
        Slot slot = practice.read(Slot.class, request.getSlotFirstRep().getReference());
        if (slot.getStatus() != Slot.SlotStatus.FREE) {
            throw new InvalidMessageException("Slot/" + slot.getIdElement().getIdPart() + " is "
                    + slot.getStatus().toCode() + ", not free");
        }
        return RecordDelivery.summarise(practice.deliver(booking(current, slot)));
    }

    public static Bundle booking(Appointment appointment, Slot slot) {
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
