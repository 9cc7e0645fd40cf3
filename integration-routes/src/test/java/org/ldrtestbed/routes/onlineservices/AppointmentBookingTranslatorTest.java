package org.ldrtestbed.routes.onlineservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class AppointmentBookingTranslatorTest {

    private final AppointmentBookingTranslator translator = new AppointmentBookingTranslator();

    @Test
    void aProposedAppointmentForOneSlotIsTheBookingRequest() {
        Appointment request = translator.toBookingRequest(request());

        assertThat(request.getStatus()).isEqualTo(Appointment.AppointmentStatus.PROPOSED);
        assertThat(request.getSlot())
                .singleElement()
                .extracting(Reference::getReference)
                .isEqualTo("Slot/7");
        assertThat(request.getParticipantFirstRep().getActor().getReference()).isEqualTo("Patient/1");
    }

    @Test
    void aBookingForTwoSlotsOrForNoPatientIsRefused() {
        Appointment twoSlots = request();
        twoSlots.addSlot(new Reference("Slot/8"));
        assertThatThrownBy(() -> translator.toBookingRequest(twoSlots))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("exactly one Slot");
        Appointment noPatient = request();
        noPatient.getParticipant().clear();
        noPatient.addParticipant().setActor(new Reference("Practitioner/2"));
        assertThatThrownBy(() -> translator.toBookingRequest(noPatient)).hasMessageContaining("Patient booking");
    }

    private static Appointment request() {
        Appointment request = new Appointment().setStatus(Appointment.AppointmentStatus.PROPOSED);
        request.setId("Appointment/9");
        request.addSlot(new Reference("Slot/7"));
        request.addParticipant().setActor(new Reference("Patient/1"));
        return request;
    }
}
