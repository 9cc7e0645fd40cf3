package org.ldrtestbed.routes.publishing;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.identity.contract.FhirPathTruth;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SharingFlow.Publication.Withhold;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * A publishing flow (capabilities a, b and c, and the record-sharing publications): what the flow publishes of an
 * entry its source holds, as the GP system's summary feed or patient-facing service would make it available. The
 * wire message is the publication of the entry to the flow's audience, or its withholding, when one of the
 * catalogue's {@code withhold} rules catches it (draft, unfiled, redacted...).
 */
public final class PublishingTranslator {

    /**
     * What the flow says of one entry.
     *
     * @param reference the entry, {@code Type/id}
     * @param audience who it is published to (the catalogue's {@code publishes.audience})
     * @param withheldBecause the withhold rule that caught it, or null to publish it
     */
    public record Publication(String reference, String audience, String withheldBecause) {

        public boolean published() {
            return withheldBecause == null;
        }
    }

    private final SharingFlow flow;
    private final FhirContext fhirContext;
    private final IFhirPath fhirPath;

    public PublishingTranslator(SharingFlow flow, FhirContext fhirContext) {
        if (flow.publishes() == null) {
            throw new IllegalArgumentException("Flow " + flow.code() + " has no 'publishes' in the catalogue");
        }
        this.flow = flow;
        this.fhirContext = fhirContext;
        this.fhirPath = fhirContext.newFhirPath();
    }

    /**
     * The publication of an entry written at the source.
     *
     * @throws InvalidMessageException when the flow does not publish entries of its type, or it has no id
     */
    public Publication toPublication(IBaseResource entry) {
        String type = fhirContext.getResourceType(entry);
        if (!flow.trigger().resourceTypes().contains(type)) {
            throw new InvalidMessageException(
                    "flow " + flow.code() + " publishes " + flow.trigger().resourceTypes() + ", not " + type);
        }
        String id = entry.getIdElement().getIdPart();
        if (id == null) {
            throw new InvalidMessageException("The entry has no id in the record it was written to");
        }
        return new Publication(
                type + "/" + id,
                flow.publishes().audience(),
                withheldBecause(entry).orElse(null));
    }

    private Optional<String> withheldBecause(IBaseResource entry) {
        for (Withhold rule : flow.publishes().withhold()) {
            if (FhirPathTruth.isTrue(fhirPath, entry, rule.when())) {
                return Optional.of(rule.reason());
            }
        }
        return Optional.empty();
    }
}
