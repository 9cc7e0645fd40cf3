package org.ldrtestbed.routes;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;

/** Every flow's route, as the {@link FlowRegistry} made them from the catalogue; added to Camel as one builder. */
public final class FlowRoutes implements RoutesBuilder {

    private final List<FlowRoute<?>> routes;

    public FlowRoutes(List<FlowRoute<?>> routes) {
        this.routes = List.copyOf(routes);
    }

    public List<FlowRoute<?>> routes() {
        return routes;
    }

    /** Each flow's check of whether it could carry a message, by flow code, for the dispatcher. */
    public Map<String, Consumer<String>> checks() {
        return routes.stream().collect(Collectors.toMap(r -> r.flow().code(), r -> r::check));
    }

    /**
     * Whether the flow's route can send its messages to a system under test over the transport, instead of filing
     * them in the shared record.
     */
    public boolean deliversToSystemsUnderTest(String flowCode, String transport) {
        return routes.stream()
                .anyMatch(r -> r.flow().code().equals(flowCode) && r.deliversToSystemsUnderTest(transport));
    }

    @Override
    public void addRoutesToCamelContext(CamelContext context) throws Exception {
        for (FlowRoute<?> route : routes) {
            route.addRoutesToCamelContext(context);
        }
    }

    @Override
    public void addTemplatedRoutesToCamelContext(CamelContext context) throws Exception {
        for (FlowRoute<?> route : routes) {
            route.addTemplatedRoutesToCamelContext(context);
        }
    }

    @Override
    public Set<String> updateRoutesToCamelContext(CamelContext context) throws Exception {
        Set<String> updated = new java.util.LinkedHashSet<>();
        for (FlowRoute<?> route : routes) {
            updated.addAll(route.updateRoutesToCamelContext(context));
        }
        return updated;
    }
}
