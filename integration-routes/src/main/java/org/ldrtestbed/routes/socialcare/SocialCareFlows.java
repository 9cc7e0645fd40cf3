package org.ldrtestbed.routes.socialcare;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/** The social care package's flows (capability f): the hospital's notices, and the council's answers. */
public final class SocialCareFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(
                SocialCareNoticeRoute.FLOW_CODE, SocialCareNoticeRoute::new,
                NoticeResponseRoute.FLOW_CODE, NoticeResponseRoute::new);
    }
}
