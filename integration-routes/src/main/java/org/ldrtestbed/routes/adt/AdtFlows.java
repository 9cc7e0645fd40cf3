package org.ldrtestbed.routes.adt;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/** The ADT package's flows: HL7v2 event notifications. */
public final class AdtFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(AdtNotificationRoute.FLOW_CODE, AdtNotificationRoute::new);
    }
}
