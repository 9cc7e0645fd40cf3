package org.ldrtestbed.routes.publishing;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/**
 * The publishing flows: one {@link PublishingRoute} each, told apart by their catalogue entries ({@code publishes}).
 */
public final class PublishingFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(
                "gp-summary", PublishingRoute::new,
                "gp-additional-information", PublishingRoute::new,
                "gp-record-sharing", PublishingRoute::new,
                "patient-online-access", PublishingRoute::new,
                "ambulance-handover", PublishingRoute::new);
    }
}
