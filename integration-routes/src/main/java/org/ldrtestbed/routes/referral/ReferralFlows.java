package org.ldrtestbed.routes.referral;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/** The referral package's flows: e-Referral (capability d) and BaRS for urgent and emergency care. */
public final class ReferralFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(
                EReferralRoute.FLOW_CODE, EReferralRoute::new,
                BarsReferralRoute.FLOW_CODE, BarsReferralRoute::new);
    }
}
