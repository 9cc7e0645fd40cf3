package org.ldrtestbed.routes.publishing;

import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.publishing.PublishingTranslator.Publication;

/**
 * A publishing flow (capabilities a, b and c): an entry the source organisation holds becomes visible to the flow's
 * audience once the route has marked it published. Entries the catalogue's {@code withhold} rules catch (draft,
 * unfiled, redacted) are never published, and lose the mark if they had it.
 */
public class PublishingRoute extends FlowRoute<Publication> {

    private final PublishingTranslator translator;

    public PublishingRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new PublishingDelivery(flow, wiring.record(flow)));
        this.translator = new PublishingTranslator(flow, wiring.fhirContext());
    }

    @Override
    protected Publication translate(String message) {
        IBaseResource entry;
        try {
            entry = fhirContext().newJsonParser().parseResource(message);
        } catch (DataFormatException e) {
            throw new InvalidMessageException("not a FHIR R4 resource: " + e.getMessage());
        }
        return translator.toPublication(entry);
    }

    @Override
    protected String describe(Publication publication) {
        return publication.published()
                ? "publish " + publication.reference() + " to " + publication.audience()
                : "withhold " + publication.reference() + " from " + publication.audience() + ": "
                        + publication.withheldBecause();
    }
}
