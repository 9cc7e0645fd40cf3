package org.ldrtestbed.routes;

import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/** A flow whose translation is a FHIR transaction filed into the recipient's record. */
public abstract class FilingRoute extends FlowRoute<Bundle> {

    private final RecordDelivery delivery;

    protected FilingRoute(SharingFlow flow, MessageLog log, int consumers, RecordDelivery delivery) {
        super(flow, log, consumers);
        this.delivery = delivery;
    }

    protected RecordDelivery delivery() {
        return delivery;
    }

    @Override
    protected String deliver(Bundle filing) {
        return RecordDelivery.summarise(delivery.deliver(filing));
    }
}
