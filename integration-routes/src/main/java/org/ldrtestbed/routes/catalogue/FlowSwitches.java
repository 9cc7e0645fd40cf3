package org.ldrtestbed.routes.catalogue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.FlowDecision;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.Withheld;

/**
 * Decides whether a flow carries one message: the server-wide switchboard (a digital lead's switches) and then the
 * switches of the journey run the message belongs to. Remembers, per run, each message it held back and why, so the
 * run can say which needs went unmet for want of which sender's flow. Plain Java.
 */
public final class FlowSwitches {

    private final FlowSwitchboard switchboard;
    private final FlowCatalogue catalogue;
    private final Clock clock;
    private final Map<String, RunSwitches> runs = new ConcurrentHashMap<>();
    private final Map<String, List<Withheld>> withheld = new ConcurrentHashMap<>();

    /** How many ended runs that bound receiving systems are remembered, for their messages still in flight. */
    static final int ENDED_KEPT = 256;

    /** Ended runs that bound systems under test to receive, latest last. */
    private final Map<String, RunSwitches> ended =
            java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, RunSwitches> eldest) {
                    return size() > ENDED_KEPT;
                }
            });

    public FlowSwitches(FlowSwitchboard switchboard, FlowCatalogue catalogue, Clock clock) {
        this.switchboard = switchboard;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    /** Only the server-wide switches, for callers that know no runs. */
    public static FlowSwitches serverWide(FlowSwitchboard switchboard, FlowCatalogue catalogue) {
        return new FlowSwitches(switchboard, catalogue, Clock.systemUTC());
    }

    public FlowSwitchboard switchboard() {
        return switchboard;
    }

    /**
     * Registers (or replaces) a run's switches.
     *
     * @throws IllegalArgumentException naming a flow the catalogue does not have
     */
    public void register(String run, RunSwitches switches) {
        if (run == null || run.isBlank()) {
            throw new IllegalArgumentException("A run needs an id");
        }
        switches.disabledFlows().forEach(this::known);
        switches.rules().forEach(rule -> known(rule.flow()));
        runs.put(run, switches);
        withheld.computeIfAbsent(run, r -> new CopyOnWriteArrayList<>());
    }

    /**
     * Forgets a run; true when it was registered. A run that bound systems under test to receive is remembered as
     * ended ({@link #ended}): a message of it still in flight must not be filed in the shared record instead.
     */
    public boolean remove(String run) {
        withheld.remove(run);
        RunSwitches removed = runs.remove(run);
        if (removed != null
                && removed.systemsUnderTest().stream()
                        .anyMatch(s ->
                                s.direction() == org.ldrtestbed.routes.contract.SystemUnderTest.Direction.RECEIVES)) {
            ended.put(run, removed);
        }
        return removed != null;
    }

    /** The switches of an ended run that bound systems under test to receive (one of the last {@value #ENDED_KEPT}). */
    public Optional<RunSwitches> ended(String run) {
        return run == null || runs.containsKey(run) ? Optional.empty() : Optional.ofNullable(ended.get(run));
    }

    public Optional<RunSwitches> of(String run) {
        return run == null ? Optional.empty() : Optional.ofNullable(runs.get(run));
    }

    /** The registered run following this patient (HL7v2 messages name no run), if any. */
    public Optional<String> runOfPatient(String nhsNumber) {
        if (nhsNumber == null) {
            return Optional.empty();
        }
        return runs.entrySet().stream()
                .filter(e -> e.getValue().nhsNumbers().contains(nhsNumber))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    /**
     * The registered run a message id names: a run's prompts ask a system under test to put {@code {run}-{step}} in
     * its message's id (HL7v2 MSH-10), so the longest registered run id it starts with, followed by {@code -}.
     */
    public Optional<String> runOfMessageId(String messageId) {
        if (messageId == null) {
            return Optional.empty();
        }
        return runs.keySet().stream()
                .filter(run -> messageId.equals(run) || messageId.startsWith(run + "-"))
                .max(java.util.Comparator.comparingInt(String::length));
    }

    /** The messages held back in a run so far, oldest first. */
    public List<Withheld> withheld(String run) {
        return List.copyOf(withheld.getOrDefault(run, List.of()));
    }

    /**
     * Whether a flow carries a message, without remembering anything: for checks before a write commits.
     *
     * @param run the journey run the message belongs to, or null
     * @param organisation the sender's ODS code
     * @param services site or unit codes the message says it is sent from (may be empty)
     */
    public FlowDecision decide(String flow, String run, String organisation, Collection<String> services) {
        if (!switchboard.isEnabled(flow)) {
            return new FlowDecision(false, FlowDecision.SERVER, "flow " + flow + " is switched off on this server");
        }
        RunSwitches switches = of(run).orElse(null);
        if (switches == null) {
            return FlowDecision.CARRIED;
        }
        if (switches.disabledFlows().contains(flow)) {
            return new FlowDecision(false, FlowDecision.RUN, "flow " + flow + " is switched off for run " + run);
        }
        return switches.ruleFor(flow, organisation, services)
                .filter(rule -> !rule.live())
                .map(rule -> new FlowDecision(
                        false,
                        FlowDecision.PROFILE,
                        "flow " + flow + " is not live for " + organisation
                                + (rule.services().isEmpty() ? "" : " " + String.join(",", services))
                                + " in run " + run + "'s deployment profile"))
                .orElse(FlowDecision.CARRIED);
    }

    /** As {@link #decide}, remembering a held-back message against its run. */
    public FlowDecision carry(String flow, String run, String organisation, Collection<String> services) {
        FlowDecision decision = decide(flow, run, organisation, services);
        if (!decision.carried() && run != null && runs.containsKey(run)) {
            withheld.computeIfAbsent(run, r -> new CopyOnWriteArrayList<>())
                    .add(new Withheld(
                            flow,
                            organisation,
                            new ArrayList<>(services),
                            decision.cause(),
                            decision.reason(),
                            clock.instant()));
        }
        return decision;
    }

    private void known(String code) {
        if (catalogue.flow(code).isEmpty()) {
            throw new IllegalArgumentException("No flow with code '" + code + "' in the catalogue");
        }
    }
}
