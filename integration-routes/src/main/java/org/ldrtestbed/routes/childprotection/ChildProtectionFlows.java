package org.ldrtestbed.routes.childprotection;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/** The child protection package's flows (capability g, CP-IS): plan uploads, and lookups in unscheduled care. */
public final class ChildProtectionFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(
                CpIsPlanUploadRoute.FLOW_CODE, CpIsPlanUploadRoute::new,
                CpIsAccessRoute.FLOW_CODE, CpIsAccessRoute::new);
    }
}
