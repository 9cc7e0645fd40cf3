package org.ldrtestbed.routes.contract;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The flow switches of one journey run: flows it has switched off, and a deployment profile resolved to rules per
 * flow × source organisation [× service or site]. They apply to that run's messages only, so runs with different
 * profiles can share one server at once.
 *
 * @param disabledFlows flows switched off for the run, whoever sends
 * @param rules a deployment profile's statuses; the most specific rule matching a message decides
 * @param nhsNumbers the patients the run follows: HL7v2 messages carry no run id, so they are matched by patient
 * @param systemsUnderTest the flows of organisations a supplier's system plays in this run (supplier mode)
 */
public record RunSwitches(
        Set<String> disabledFlows, List<Rule> rules, Set<String> nhsNumbers, List<SystemUnderTest> systemsUnderTest) {

    public RunSwitches {
        disabledFlows = disabledFlows == null ? Set.of() : Set.copyOf(disabledFlows);
        rules = rules == null ? List.of() : List.copyOf(rules);
        nhsNumbers = nhsNumbers == null ? Set.of() : Set.copyOf(nhsNumbers);
        systemsUnderTest = systemsUnderTest == null ? List.of() : List.copyOf(systemsUnderTest);
    }

    /** A run with every organisation simulated. */
    public RunSwitches(Set<String> disabledFlows, List<Rule> rules, Set<String> nhsNumbers) {
        this(disabledFlows, rules, nhsNumbers, List.of());
    }

    /** The system under test that receives this flow's messages for this organisation in the run, if any. */
    public Optional<SystemUnderTest> receiver(String flow, String organisation) {
        return systemsUnderTest.stream()
                .filter(s -> s.direction() == SystemUnderTest.Direction.RECEIVES
                        && s.flow().equals(flow)
                        && s.organisation().equals(organisation))
                .findFirst();
    }

    /**
     * Whether a flow is live for one sender, by a deployment profile.
     *
     * @param flow flow code
     * @param organisation ODS code of the sending organisation, or null for every sender
     * @param services site or unit codes within that organisation the rule is limited to; empty for the whole
     *     organisation (a profile naming a site lists the site and each of its units)
     * @param live whether messages from that sender are carried
     */
    public record Rule(String flow, String organisation, Set<String> services, boolean live) {
        public Rule {
            services = services == null ? Set.of() : Set.copyOf(services);
        }

        /** 2 for a service, 1 for an organisation, 0 for every sender. */
        int specificity() {
            return !services.isEmpty() ? 2 : organisation != null ? 1 : 0;
        }

        boolean matches(String flowCode, String sender, Collection<String> senderServices) {
            return flow.equals(flowCode)
                    && (organisation == null || organisation.equals(sender))
                    && (services.isEmpty() || senderServices.stream().anyMatch(services::contains));
        }
    }

    /** The rule that decides a message of this flow from this sender, if the run's profile has one. */
    public Optional<Rule> ruleFor(String flow, String organisation, Collection<String> services) {
        Rule best = null;
        for (Rule rule : rules) {
            if (rule.matches(flow, organisation, services)
                    && (best == null || rule.specificity() > best.specificity())) {
                best = rule;
            }
        }
        return Optional.ofNullable(best);
    }
}
