package org.ldrtestbed.routes.socialcare;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/** Capability (f): carries the hospital's notices to adult social care into the council's worklist. */
public class SocialCareNoticeRoute extends FlowRoute<Bundle> {

    public static final String FLOW_CODE = "social-care-notice";

    private final FhirContext fhirContext;
    private final SocialCareNoticeTranslator translator;
    private final RecordDelivery delivery;

    public SocialCareNoticeRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            SocialCareNoticeTranslator translator,
            RecordDelivery delivery) {
        super(flow, log, consumers);
        this.fhirContext = fhirContext;
        this.translator = translator;
        this.delivery = delivery;
    }

    @Override
    protected Bundle translate(String message) {
        try {
            return translator.toWorklist(fhirContext.newJsonParser().parseResource(ServiceRequest.class, message));
        } catch (DataFormatException e) {
            throw new InvalidMessageException("not a FHIR R4 ServiceRequest: " + e.getMessage());
        }
    }

    @Override
    protected String describe(Bundle filing) {
        org.hl7.fhir.r4.model.Task task =
                (org.hl7.fhir.r4.model.Task) filing.getEntryFirstRep().getResource();
        return "worklist Task '" + task.getCode().getCodingFirstRep().getDisplay() + "' for "
                + task.getOwner().getReference();
    }

    @Override
    protected String deliver(Bundle filing) {
        return RecordDelivery.summarise(delivery.deliver(filing));
    }
}
