package org.ldrtestbed.routes.publishing;

import org.hl7.fhir.r4.model.Coding;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.publishing.PublishingTranslator.Publication;

/**
 * Publishes an entry in the shared record by the flow's mark (a tag the access policy reads), or takes the mark off
 * an entry the flow withholds; both are idempotent.
 */
public final class PublishingDelivery implements FlowDelivery<Publication> {

    private final Coding mark;
    private final RecordDelivery record;

    public PublishingDelivery(SharingFlow flow, RecordDelivery record) {
        this.mark = mark(flow);
        this.record = record;
    }

    /** The mark a flow leaves on what it has published. */
    public static Coding mark(SharingFlow flow) {
        return new Coding(SharingFlow.PUBLISHED_BY, flow.code(), "Published by " + flow.title());
    }

    @Override
    public String deliver(Publication publication) {
        record.tag(publication.reference(), mark.copy(), publication.published());
        return (publication.published() ? "published " : "withheld ") + publication.reference();
    }
}
