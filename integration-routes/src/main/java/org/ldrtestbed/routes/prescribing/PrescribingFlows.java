package org.ldrtestbed.routes.prescribing;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/** The prescribing package's flows (capability i, EPS): prescriptions out, dispense notifications back. */
public final class PrescribingFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(
                EpsPrescriptionRoute.FLOW_CODE, EpsPrescriptionRoute::new,
                EpsDispenseNotificationRoute.FLOW_CODE, EpsDispenseNotificationRoute::new);
    }
}
