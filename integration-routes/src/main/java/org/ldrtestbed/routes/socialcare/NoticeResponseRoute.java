package org.ldrtestbed.routes.socialcare;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.FilingRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/** Capability (f): carries adult social care's answer to a notice back to the hospital. */
public class NoticeResponseRoute extends FilingRoute {

    public static final String FLOW_CODE = "social-care-notice-response";

    private final FhirContext fhirContext;
    private final NoticeResponseTranslator translator;

    public NoticeResponseRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            NoticeResponseTranslator translator,
            RecordDelivery delivery) {
        super(flow, log, consumers, delivery);
        this.fhirContext = fhirContext;
        this.translator = translator;
    }

    @Override
    protected Bundle translate(String message) {
        return translator.toFilings(parse(fhirContext, Task.class, message));
    }

    @Override
    protected String describe(Bundle filing) {
        Task told = (Task) filing.getEntry().get(1).getResource();
        return "answer '" + told.getCode().getCodingFirstRep().getDisplay() + "' to "
                + told.getFocus().getReference() + " for " + told.getOwner().getReference();
    }
}
