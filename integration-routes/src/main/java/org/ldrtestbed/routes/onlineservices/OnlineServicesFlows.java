package org.ldrtestbed.routes.onlineservices;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/** The online services package's flows (capability j): appointment booking and repeat ordering. */
public final class OnlineServicesFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(
                AppointmentBookingRoute.FLOW_CODE, AppointmentBookingRoute::new,
                RepeatRequestRoute.FLOW_CODE, RepeatRequestRoute::new);
    }
}
