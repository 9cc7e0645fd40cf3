package org.ldrtestbed.routes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
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

    /** Parses a FHIR JSON message; a message that is not the expected resource can never be filed. */
    public static <T extends IBaseResource> T parse(FhirContext fhirContext, Class<T> type, String message) {
        try {
            return fhirContext.newJsonParser().parseResource(type, message);
        } catch (DataFormatException | ClassCastException e) {
            throw new InvalidMessageException("not a FHIR R4 " + type.getSimpleName() + ": " + e.getMessage());
        }
    }
}
