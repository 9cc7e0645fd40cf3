package org.ldrtestbed.routes.adt;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/** Record sharing (event notifications): HL7v2 ADT from the hospital's PAS becomes Encounters and GP notifications. */
public class AdtNotificationRoute extends FlowRoute<Bundle> {

    public static final String FLOW_CODE = "adt-notification";

    private final AdtTranslator translator;
    private final RecordDelivery delivery;

    public AdtNotificationRoute(
            SharingFlow flow, MessageLog log, int consumers, AdtTranslator translator, RecordDelivery delivery) {
        super(flow, log, consumers);
        this.translator = translator;
        this.delivery = delivery;
    }

    @Override
    protected Bundle translate(String message) {
        return translator.toFiling(translator.read(translator.parse(message)));
    }

    @Override
    protected String describe(Bundle filing) {
        Encounter stay = (Encounter) filing.getEntryFirstRep().getResource();
        return "Encounter " + stay.getIdentifierFirstRep().getValue() + " "
                + stay.getStatus().toCode() + " and a notification to the GP practice";
    }

    /**
     * A message already applied is not applied again: the GP notification carries the message's control id, and
     * if it exists the Encounter is left alone too (re-applying an old A01 after an A03 would reopen the stay).
     */
    @Override
    protected String deliver(Bundle filing) {
        String applied = filing.getEntry().get(1).getRequest().getIfNoneExist();
        if (delivery.exists("Communication?" + applied)) {
            return "already applied (" + applied + "): nothing changed";
        }
        return RecordDelivery.summarise(delivery.deliver(filing));
    }
}
