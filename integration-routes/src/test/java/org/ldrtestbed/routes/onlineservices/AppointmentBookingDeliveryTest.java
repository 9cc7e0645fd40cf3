package org.ldrtestbed.routes.onlineservices;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.Test;

class AppointmentBookingDeliveryTest {

    @Test
    void bookingMakesTheSlotBusyGuardedByItsVersionAndTheAppointmentBooked() {
        Slot slot = new Slot().setStatus(Slot.SlotStatus.FREE);
        slot.setId("Slot/7/_history/3");
        Appointment request = new Appointment().setStatus(Appointment.AppointmentStatus.PROPOSED);
        request.setId("Appointment/9");
        request.addSlot(new Reference("Slot/7"));
        request.addParticipant().setActor(new Reference("Patient/1"));

        Bundle booking = AppointmentBookingDelivery.booking(request, slot);

        Bundle.BundleEntryComponent slotEntry = booking.getEntry().get(0);
        assertThat(slotEntry.getRequest().getUrl()).isEqualTo("Slot/7");
        assertThat(slotEntry.getRequest().getIfMatch()).isEqualTo("W/\"3\"");
        assertThat(((Slot) slotEntry.getResource()).getStatus()).isEqualTo(Slot.SlotStatus.BUSY);
        Appointment booked = (Appointment) booking.getEntry().get(1).getResource();
        assertThat(booked.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(booked.getParticipantFirstRep().getStatus()).isEqualTo(Appointment.ParticipationStatus.ACCEPTED);
    }
}
