package org.ldrtestbed.scenarios.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.scenarios.deployment.DeploymentProfile;

/**
 * The switches one run names (flows off, capabilities off, a deployment profile). The runner registers them with the
 * server for that run alone; other runs on the same server are not affected.
 *
 * @param disabledFlows flow codes switched off for the run (a capability switched off is its flows)
 * @param deployment the deployment profile, or null for the full deployment
 */
public record RunSettings(Set<String> disabledFlows, DeploymentProfile deployment) {

    /** Nothing switched off; the full deployment. */
    public static final RunSettings FULL = new RunSettings(Set.of(), null);

    public RunSettings {
        disabledFlows = Set.copyOf(disabledFlows);
    }

    /**
     * The run's switches with every flow of each capability added to the flows switched off.
     *
     * @throws IllegalArgumentException naming a capability no flow of the catalogue serves
     */
    public static RunSettings of(
            Set<String> flows, Set<String> capabilities, DeploymentProfile deployment, FlowCatalogue catalogue) {
        Set<String> disabled = new LinkedHashSet<>();
        for (String code : flows) {
            disabled.add(catalogue.flow(code).map(SharingFlow::code).orElseThrow(() -> {
                List<String> known =
                        catalogue.flows().stream().map(SharingFlow::code).toList();
                return new IllegalArgumentException("no flow '" + code + "' in the catalogue"
                        + org.ldrtestbed.scenarios.check.DidYouMean.hint(code, known) + " (known: " + known
                        + ")");
            }));
        }
        for (String capability : capabilities) {
            var of = catalogue.flows().stream()
                    .filter(f -> f.capability().equals(capability))
                    .map(SharingFlow::code)
                    .toList();
            if (of.isEmpty()) {
                throw new IllegalArgumentException("no flow of the catalogue serves capability '" + capability
                        + "'; capabilities are a-j and record-sharing");
            }
            disabled.addAll(of);
        }
        return new RunSettings(disabled, deployment);
    }

    /** The profile's name, {@code full} when none. */
    public String deploymentName() {
        return deployment == null ? org.ldrtestbed.scenarios.report.JourneyResult.FULL_DEPLOYMENT : deployment.name();
    }
}
