package org.ldrtestbed.routes.eol;

import java.util.Map;
import org.ldrtestbed.routes.FlowModule;

/** The end-of-life package's flows. */
public final class EolFlows implements FlowModule {

    @Override
    public Map<String, Factory> flows() {
        return Map.of(EolPointerRoute.FLOW_CODE, EolPointerRoute::new);
    }
}
