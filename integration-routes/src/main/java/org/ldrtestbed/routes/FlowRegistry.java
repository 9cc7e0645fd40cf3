package org.ldrtestbed.routes;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AssignableTypeFilter;

/**
 * Creates one route per catalogue entry from the {@link FlowModule}s of the flow packages, keyed by flow code. The
 * catalogue and the implementations must match exactly: an entry with no implementation, an implementation with no
 * entry, or a code two packages claim stops start-up, naming each.
 */
public final class FlowRegistry {

    /** Where flow packages live; each may hold a {@link FlowModule}. */
    public static final String FLOW_PACKAGES = "org.ldrtestbed.routes";

    private FlowRegistry() {}

    /** The flow modules of the flow packages on the classpath, found by type (no registration list to keep). */
    public static List<FlowModule> discover() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AssignableTypeFilter(FlowModule.class));
        return scanner.findCandidateComponents(FLOW_PACKAGES).stream()
                .map(candidate -> instantiate(candidate.getBeanClassName()))
                .sorted(Comparator.comparing(m -> m.getClass().getName()))
                .toList();
    }

    /**
     * One route per catalogue flow, in catalogue order.
     *
     * @throws IllegalStateException when the catalogue and the implementations do not match
     */
    public static List<FlowRoute<?>> routes(FlowCatalogue catalogue, List<FlowModule> modules, FlowWiring wiring) {
        Map<String, FlowModule.Factory> factories = new LinkedHashMap<>();
        Map<String, String> implementedBy = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (FlowModule module : modules) {
            String name = module.getClass().getName();
            module.flows().forEach((code, factory) -> {
                String other = implementedBy.putIfAbsent(code, name);
                if (other != null) {
                    problems.add("flow " + code + " is implemented twice, by " + other + " and " + name);
                }
                factories.putIfAbsent(code, factory);
            });
        }
        for (SharingFlow flow : catalogue.flows()) {
            if (!factories.containsKey(flow.code())) {
                problems.add("catalogue flow " + flow.code()
                        + " has no implementation (a FlowModule in its package must name it)");
            }
        }
        for (String code : new TreeSet<>(factories.keySet())) {
            if (catalogue.flow(code).isEmpty()) {
                problems.add(
                        implementedBy.get(code) + " implements flow " + code + ", which the catalogue does not list");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "The flow catalogue and the flow implementations do not match: " + String.join("; ", problems));
        }
        List<FlowRoute<?>> routes = new ArrayList<>();
        for (SharingFlow flow : catalogue.flows()) {
            FlowRoute<?> route = factories.get(flow.code()).route(flow, wiring);
            if (!flow.code().equals(route.flow().code())) {
                throw new IllegalStateException(implementedBy.get(flow.code()) + " made a route for flow "
                        + route.flow().code() + " when asked for " + flow.code());
            }
            routes.add(route);
        }
        return List.copyOf(routes);
    }

    private static FlowModule instantiate(String className) {
        try {
            return (FlowModule)
                    Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException
                | NoSuchMethodException
                | InstantiationException
                | IllegalAccessException
                | InvocationTargetException e) {
            throw new IllegalStateException(
                    "Flow module " + className + " needs a public no-argument constructor: " + e, e);
        }
    }
}
