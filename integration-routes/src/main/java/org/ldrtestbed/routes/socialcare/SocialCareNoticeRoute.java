package org.ldrtestbed.routes.socialcare;

import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.socialcare.SocialCareNoticeTranslator.AdwNotice;

/** Capability (f): carries the hospital's notices to adult social care into the council's worklist. */
public class SocialCareNoticeRoute extends FlowRoute<AdwNotice> {

    public static final String FLOW_CODE = "social-care-notice";

    private final SocialCareNoticeTranslator translator = new SocialCareNoticeTranslator();

    public SocialCareNoticeRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new SocialCareNoticeDelivery(wiring.record(flow)));
    }

    @Override
    protected AdwNotice translate(String message) {
        return translator.toNotice(parse(ServiceRequest.class, message));
    }

    @Override
    protected String describe(AdwNotice notice) {
        return "worklist Task '"
                + SocialCareNoticeTranslator.NOTICES.get(notice.code().getCode()) + "' for "
                + notice.notice().getPerformerFirstRep().getReference();
    }
}
