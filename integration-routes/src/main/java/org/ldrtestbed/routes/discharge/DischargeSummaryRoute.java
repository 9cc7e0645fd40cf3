package org.ldrtestbed.routes.discharge;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.ldrtestbed.routes.FilingRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.delivery.Supersession;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * Capability (e): carries the acute trust's discharge summary from the flow's durable queue to the patient's GP
 * practice, where it is filed as a DocumentReference with a Task per requested action.
 */
public class DischargeSummaryRoute extends FilingRoute {

    public static final String FLOW_CODE = "discharge-summary";

    private final FhirContext fhirContext;
    private final DischargeSummaryTranslator translator;

    public DischargeSummaryRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            DischargeSummaryTranslator translator,
            RecordDelivery delivery) {
        super(flow, log, consumers, delivery);
        this.fhirContext = fhirContext;
        this.translator = translator;
    }

    @Override
    protected Bundle translate(String message) {
        return translator.toGpFiling(parse(fhirContext, Bundle.class, message), message);
    }

    @Override
    protected String describe(Bundle filing) {
        return "GP filing of " + filing.getEntry().size() + " resources: "
                + filing.getEntry().stream()
                        .map(e -> e.getResource().fhirType())
                        .toList();
    }

    /** Files the summary, then marks superseded the earlier summary an amended one replaces. */
    @Override
    protected String deliver(Bundle filing) {
        String filed = super.deliver(filing);
        return filed
                + filing.getEntry().stream()
                        .map(Bundle.BundleEntryComponent::getResource)
                        .filter(DocumentReference.class::isInstance)
                        .map(r -> Supersession.supersedeReplaced((DocumentReference) r, delivery()))
                        .findFirst()
                        .orElse("");
    }
}
