package org.ldrtestbed.routes.adt;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.ldrtestbed.routes.FilingRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/** Record sharing (event notifications): HL7v2 ADT from the hospital's PAS becomes Encounters and GP notifications. */
public class AdtNotificationRoute extends FilingRoute {

    public static final String FLOW_CODE = "adt-notification";

    private final AdtTranslator translator;

    public AdtNotificationRoute(
            SharingFlow flow, MessageLog log, int consumers, AdtTranslator translator, RecordDelivery delivery) {
        super(flow, log, consumers, delivery);
        this.translator = translator;
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
        if (delivery().exists("Communication?" + applied)) {
            return "already applied (" + applied + "): nothing changed";
        }
        return super.deliver(filing);
    }
}
