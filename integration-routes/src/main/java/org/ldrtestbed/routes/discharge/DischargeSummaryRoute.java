package org.ldrtestbed.routes.discharge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * Capability (e): carries the acute trust's discharge summary from the flow's durable queue to the patient's GP
 * practice, where it is filed as a DocumentReference with a Task per requested action.
 */
public class DischargeSummaryRoute extends FlowRoute<Bundle> {

    public static final String FLOW_CODE = "discharge-summary";

    private final FhirContext fhirContext;
    private final DischargeSummaryTranslator translator;
    private final RecordDelivery delivery;

    public DischargeSummaryRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            DischargeSummaryTranslator translator,
            RecordDelivery delivery) {
        super(flow, log, consumers);
        this.fhirContext = fhirContext;
        this.translator = translator;
        this.delivery = delivery;
    }

    @Override
    protected Bundle translate(String message) {
        Bundle document;
        try {
            document = fhirContext.newJsonParser().parseResource(Bundle.class, message);
        } catch (DataFormatException e) {
            throw new InvalidMessageException("not a FHIR R4 Bundle: " + e.getMessage());
        }
        return translator.toGpFiling(document, message);
    }

    @Override
    protected String describe(Bundle filing) {
        return "GP filing of " + filing.getEntry().size() + " resources: "
                + filing.getEntry().stream()
                        .map(e -> e.getResource().fhirType())
                        .toList();
    }

    @Override
    protected String deliver(Bundle filing) {
        return RecordDelivery.summarise(delivery.deliver(filing));
    }
}
