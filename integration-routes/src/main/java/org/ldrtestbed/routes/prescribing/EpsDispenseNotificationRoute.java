package org.ldrtestbed.routes.prescribing;

import org.hl7.fhir.r4.model.MedicationDispense;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.prescribing.EpsDispenseNotificationTranslator.DispenseNotification;

/**
 * Capability (i): the pharmacy's dispense goes back through the (simulated) EPS as a {@code dispense-notification}
 * and the prescribing practice is told.
 */
public class EpsDispenseNotificationRoute extends FlowRoute<DispenseNotification> {

    public static final String FLOW_CODE = "eps-dispense-notification";

    private final EpsDispenseNotificationTranslator translator = new EpsDispenseNotificationTranslator();

    public EpsDispenseNotificationRoute(SharingFlow flow, FlowWiring wiring) {
        super(
                flow,
                wiring,
                new EpsDispenseNotificationDelivery(
                        wiring.fhirContext(), wiring.nationalService("EPS"), wiring.record(flow), wiring.clock()));
    }

    @Override
    protected DispenseNotification translate(String message) {
        return translator.toNotification(parseStored(MedicationDispense.class, message, "dispense"), now());
    }

    @Override
    protected String describe(DispenseNotification notification) {
        return "dispense of "
                + notification.dispense().getAuthorizingPrescriptionFirstRep().getReference();
    }
}
