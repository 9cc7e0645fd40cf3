package org.ldrtestbed.routes.adt;

import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;

/** Record sharing (event notifications): HL7v2 ADT from the hospital's PAS becomes Encounters and GP notifications. */
public class AdtNotificationRoute extends FlowRoute<AdtEvent> {

    public static final String FLOW_CODE = "adt-notification";

    private final AdtTranslator translator = new AdtTranslator();

    public AdtNotificationRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new AdtNotificationDelivery(wiring.record(flow)));
    }

    @Override
    protected AdtEvent translate(String message) {
        return translator.toEvent(message);
    }

    @Override
    protected String describe(AdtEvent event) {
        return "ADT^" + event.trigger() + " " + event.controlId() + ": Encounter " + event.sendingFacility() + "-"
                + event.visitNumber() + " " + ("A03".equals(event.trigger()) ? "finished" : "in-progress")
                + " and a notification to the GP practice";
    }
}
