package org.ldrtestbed.routes.adt;

import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SystemUnderTest;

/**
 * Record sharing (event notifications): HL7v2 ADT from the hospital's PAS becomes Encounters and GP notifications.
 * Where a run binds the GP practice's system under test to receive the flow, the ADT message itself goes to it over
 * MLLP in place of the Communication, while the stay's Encounter is still filed in the shared record: the stay is the
 * hospital's, for every professional; the notification is the practice's.
 */
public class AdtNotificationRoute extends FlowRoute<AdtNotification> {

    public static final String FLOW_CODE = "adt-notification";

    private final AdtTranslator translator = new AdtTranslator();
    private final AdtNotificationDelivery delivery;

    public AdtNotificationRoute(SharingFlow flow, FlowWiring wiring) {
        this(flow, wiring, new AdtNotificationDelivery(wiring.record(flow)));
    }

    private AdtNotificationRoute(SharingFlow flow, FlowWiring wiring, AdtNotificationDelivery delivery) {
        super(flow, wiring, notification -> delivery.deliver(notification.event()));
        this.delivery = delivery;
    }

    /** A GP system under test receives the ADT message as HL7v2 over MLLP, acknowledged. */
    @Override
    public boolean deliversToSystemsUnderTest(String transport) {
        return SystemUnderTest.MLLP.equals(transport);
    }

    /** The stay's Encounter, without the notification the system under test receives instead. */
    @Override
    protected String fileAlongsideSystemUnderTest(AdtNotification notification) {
        return delivery.deliverStay(notification.event());
    }

    @Override
    protected AdtNotification translate(String message) {
        return translator.toNotification(message);
    }

    @Override
    protected String describe(AdtNotification notification) {
        AdtEvent event = notification.event();
        return "ADT^" + event.trigger() + " " + event.controlId() + ": Encounter " + event.sendingFacility() + "-"
                + event.visitNumber() + " " + ("A03".equals(event.trigger()) ? "finished" : "in-progress")
                + " and a notification to the GP practice " + event.gpPractice();
    }
}
