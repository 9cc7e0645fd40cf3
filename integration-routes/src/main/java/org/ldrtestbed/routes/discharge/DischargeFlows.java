package org.ldrtestbed.routes.discharge;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/** The discharge package's flows. */
public final class DischargeFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(DischargeSummaryRoute.FLOW_CODE, DischargeSummaryRoute::new);
    }
}
