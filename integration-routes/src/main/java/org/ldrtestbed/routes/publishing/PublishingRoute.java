package org.ldrtestbed.routes.publishing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.ldrtestbed.identity.contract.FhirPathTruth;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SharingFlow.Publication.Withhold;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * A publishing flow (capabilities a, b and c): an entry the source organisation holds becomes visible to the flow's
 * audience once the route has marked it published, as a GP system's summary feed or patient-facing service would
 * make it available. Entries the catalogue's {@code withhold} rules catch (draft, unfiled, redacted) are never
 * published, and lose the mark if they had it.
 */
public class PublishingRoute extends FlowRoute<PublishingRoute.Decision> {

    private final FhirContext fhirContext;
    private final IFhirPath fhirPath;
    private final RecordDelivery delivery;

    public PublishingRoute(
            SharingFlow flow, MessageLog log, int consumers, FhirContext fhirContext, RecordDelivery delivery) {
        super(flow, log, consumers);
        if (flow.publishes() == null) {
            throw new IllegalArgumentException("Flow " + flow.code() + " has no 'publishes' in the catalogue");
        }
        this.fhirContext = fhirContext;
        this.fhirPath = fhirContext.newFhirPath();
        this.delivery = delivery;
    }

    /**
     * What the route does with one entry.
     *
     * @param reference the entry, {@code Type/id}
     * @param withheldBecause the withhold rule that caught it, or null to publish it
     */
    public record Decision(String reference, String withheldBecause) {}

    /** The mark this flow leaves on what it has published. */
    public Coding mark() {
        return new Coding(SharingFlow.PUBLISHED_BY, flow().code(), "Published by " + flow().title());
    }

    @Override
    protected Decision translate(String message) {
        IBaseResource entry;
        try {
            entry = fhirContext.newJsonParser().parseResource(message);
        } catch (DataFormatException e) {
            throw new InvalidMessageException("not a FHIR R4 resource: " + e.getMessage());
        }
        if (!flow().trigger().resourceTypes().contains(fhirContext.getResourceType(entry))) {
            throw new InvalidMessageException("flow " + flow().code() + " publishes "
                    + flow().trigger().resourceTypes() + ", not " + fhirContext.getResourceType(entry));
        }
        String id = entry.getIdElement().getIdPart();
        if (id == null) {
            throw new InvalidMessageException("The entry has no id in the record it was written to");
        }
        return new Decision(
                fhirContext.getResourceType(entry) + "/" + id,
                withheldBecause(entry).orElse(null));
    }

    private Optional<String> withheldBecause(IBaseResource entry) {
        for (Withhold rule : flow().publishes().withhold()) {
            if (FhirPathTruth.isTrue(fhirPath, entry, rule.when())) {
                return Optional.of(rule.reason());
            }
        }
        return Optional.empty();
    }

    @Override
    protected String describe(Decision decision) {
        return decision.withheldBecause() == null
                ? "publish " + decision.reference() + " to "
                        + flow().publishes().audience()
                : "withhold " + decision.reference() + " from "
                        + flow().publishes().audience() + ": " + decision.withheldBecause();
    }

    @Override
    protected String deliver(Decision decision) {
        boolean publish = decision.withheldBecause() == null;
        delivery.tag(decision.reference(), mark(), publish);
        return (publish ? "published " : "withheld ") + decision.reference();
    }
}
