package org.ldrtestbed.routes.socialcare;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.FilingRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/** Capability (f): carries the hospital's notices to adult social care into the council's worklist. */
public class SocialCareNoticeRoute extends FilingRoute {

    public static final String FLOW_CODE = "social-care-notice";

    private final FhirContext fhirContext;
    private final SocialCareNoticeTranslator translator;

    public SocialCareNoticeRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            SocialCareNoticeTranslator translator,
            RecordDelivery delivery) {
        super(flow, log, consumers, delivery);
        this.fhirContext = fhirContext;
        this.translator = translator;
    }

    @Override
    protected Bundle translate(String message) {
        return translator.toWorklist(parse(fhirContext, ServiceRequest.class, message));
    }

    @Override
    protected String describe(Bundle filing) {
        org.hl7.fhir.r4.model.Task task =
                (org.hl7.fhir.r4.model.Task) filing.getEntryFirstRep().getResource();
        return "worklist Task '" + task.getCode().getCodingFirstRep().getDisplay() + "' for "
                + task.getOwner().getReference();
    }
}
