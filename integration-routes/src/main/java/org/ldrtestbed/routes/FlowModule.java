package org.ldrtestbed.routes;

import java.util.Map;

/**
 * The flows one capability package implements, by catalogue flow code. Each package of flows has one (e.g.
 * {@code discharge.DischargeFlows}); {@link FlowRegistry} finds them and creates a route for each catalogue entry, so
 * adding a flow touches the catalogue and its package only. An implementation needs a public no-argument constructor.
 */
public interface FlowModule {

    /** Flow code → how to make its route. */
    Map<String, Factory> flows();

    /** Makes one flow's route from its catalogue entry and what routes are given to work with. */
    @FunctionalInterface
    interface Factory {
        FlowRoute<?> route(org.ldrtestbed.routes.contract.SharingFlow flow, FlowWiring wiring);
    }
}
