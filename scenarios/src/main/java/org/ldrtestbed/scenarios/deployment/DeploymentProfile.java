package org.ldrtestbed.scenarios.deployment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.RunSwitches.Rule;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * Which capabilities a place has live: per capability (a–j) or flow, per source organisation and optionally per
 * service or site within it. Anything the profile does not name is live. Loaded from a
 * {@code <name>.deployment.yaml} by {@link DeploymentLoader}.
 *
 * @param name the profile's name, e.g. {@code oxfordshire-2017-07}
 * @param file where it was read from
 * @param capabilities per capability letter
 * @param flows per flow code, overriding its capability
 */
public record DeploymentProfile(
        String name, String title, String file, Map<String, Entry> capabilities, Map<String, Entry> flows) {

    public static final String LIVE = "live";
    public static final String PLANNED = "planned";
    public static final String ABSENT = "absent";

    private static final Availability UNNAMED = new Availability(LIVE, "not named by the profile", null, null);

    public DeploymentProfile {
        capabilities = Map.copyOf(capabilities);
        flows = Map.copyOf(flows);
    }

    /**
     * A status: {@code live} (with what carries it), {@code planned} (with when, if known) or {@code absent}.
     *
     * @param planned YYYY-MM or YYYY-MM-DD, or null
     */
    public record Availability(String status, String by, String planned, String note) {
        public boolean live() {
            return LIVE.equals(status);
        }
    }

    /** A capability's or flow's status, with exceptions per sender. */
    public record Entry(Availability availability, List<Sender> senders) {
        public Entry {
            senders = List.copyOf(senders);
        }
    }

    /**
     * An exception for one source organisation, or one service or site within it.
     *
     * @param service the site or unit code the profile names, or null for the whole organisation
     * @param covers that code and, for a site, the codes of its units
     */
    public record Sender(String organisation, String service, Set<String> covers, Availability availability) {
        public Sender {
            covers = Set.copyOf(covers);
        }
    }

    /** How the profile has a flow for one sender: its status, and the organisation and service it names (or null). */
    public record Resolved(Availability availability, String organisation, String service) {}

    /** The status of a flow for a message from this organisation and these services. */
    public Resolved statusOf(SharingFlow flow, String organisation, Collection<String> services) {
        Entry entry = entryOf(flow);
        if (entry == null) {
            return new Resolved(UNNAMED, null, null);
        }
        Sender best = null;
        for (Sender sender : entry.senders()) {
            boolean matches = sender.organisation().equals(organisation)
                    && (sender.service() == null || services.stream().anyMatch(sender.covers()::contains));
            if (matches && (best == null || (best.service() == null && sender.service() != null))) {
                best = sender;
            }
        }
        return best == null
                ? new Resolved(entry.availability(), null, null)
                : new Resolved(best.availability(), best.organisation(), best.service());
    }

    /** The flow's status for senders the profile names no exception for. */
    public Availability statusOf(SharingFlow flow) {
        Entry entry = entryOf(flow);
        return entry == null ? UNNAMED : entry.availability();
    }

    /** True when no sender at all has the flow live. */
    public boolean offForEverySender(SharingFlow flow) {
        Entry entry = entryOf(flow);
        return entry != null
                && !entry.availability().live()
                && entry.senders().stream().noneMatch(s -> s.availability().live());
    }

    /** The profile as the server's per-run rules: one per flow it names, and one per sender exception. */
    public List<Rule> rules(FlowCatalogue catalogue) {
        List<Rule> rules = new ArrayList<>();
        for (SharingFlow flow : catalogue.flows()) {
            Entry entry = entryOf(flow);
            if (entry == null) {
                continue;
            }
            rules.add(new Rule(flow.code(), null, Set.of(), entry.availability().live()));
            for (Sender sender : entry.senders()) {
                rules.add(new Rule(
                        flow.code(),
                        sender.organisation(),
                        sender.service() == null ? Set.of() : sender.covers(),
                        sender.availability().live()));
            }
        }
        return rules;
    }

    private Entry entryOf(SharingFlow flow) {
        Entry entry = flows.get(flow.code());
        return entry != null ? entry : capabilities.get(flow.capability());
    }
}
