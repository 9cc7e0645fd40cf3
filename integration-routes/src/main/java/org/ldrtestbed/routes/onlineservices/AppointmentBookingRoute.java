package org.ldrtestbed.routes.onlineservices;

import org.hl7.fhir.r4.model.Appointment;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * Capability (j): a patient books a GP appointment online; the patient-facing service's request is booked in the GP
 * system.
 */
public class AppointmentBookingRoute extends FlowRoute<Appointment> {

    public static final String FLOW_CODE = "online-appointment-booking";

    private final AppointmentBookingTranslator translator = new AppointmentBookingTranslator();

    public AppointmentBookingRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new AppointmentBookingDelivery(wiring.record(flow)));
    }

    @Override
    protected Appointment translate(String message) {
        return translator.toBookingRequest(parseStored(Appointment.class, message, "appointment request"));
    }

    @Override
    protected String describe(Appointment request) {
        return "book " + request.getSlotFirstRep().getReference() + " for Appointment/"
                + request.getIdElement().getIdPart();
    }
}
