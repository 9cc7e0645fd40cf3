package org.ldrtestbed.routes.socialcare;

import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.socialcare.NoticeResponseTranslator.AdwResponse;

/** Capability (f): carries adult social care's answer to a notice back to the hospital. */
public class NoticeResponseRoute extends FlowRoute<AdwResponse> {

    public static final String FLOW_CODE = "social-care-notice-response";

    private final NoticeResponseTranslator translator = new NoticeResponseTranslator();

    public NoticeResponseRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new NoticeResponseDelivery(wiring.record(flow)));
    }

    @Override
    protected AdwResponse translate(String message) {
        return translator.toResponse(parse(Task.class, message));
    }

    @Override
    protected String describe(AdwResponse response) {
        return "answer '" + response.response().display() + "' to ServiceRequest/" + response.notice() + " for "
                + response.hospital().getReference();
    }
}
