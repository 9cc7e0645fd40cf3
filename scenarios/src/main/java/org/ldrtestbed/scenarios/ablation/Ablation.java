package org.ldrtestbed.scenarios.ablation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.scenarios.engine.RunSettings;
import org.ldrtestbed.scenarios.journey.EvidenceRule;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.Step.Sees;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Whether a journey's tags tell the truth: the journey is replayed with each capability it claims evidence for, and
 * each flow it names, switched off in turn (for that run only). An assertion tagged with what is off must fail, and
 * nothing else may: a failure without the tag is a dependency the file does not declare, a tagged assertion that
 * still passes is evidence it does not hold. The same judgement serves {@code testbed ablate} and the suite.
 */
public final class Ablation {

    /** What a switch turns off. */
    public enum Kind {
        CAPABILITY,
        FLOW
    }

    /** One thing switched off for one replay. */
    public record Switch(Kind kind, String code) {

        public String display() {
            return (kind == Kind.CAPABILITY ? "capability " : "flow ") + code;
        }

        /** The run's switches that turn it off. */
        public RunSettings settings(FlowCatalogue catalogue) {
            return kind == Kind.CAPABILITY
                    ? RunSettings.of(Set.of(), Set.of(code), null, catalogue)
                    : RunSettings.of(Set.of(code), Set.of(), null, catalogue);
        }
    }

    /**
     * The replay with one switch off, judged.
     *
     * @param expected assertions tagged with what was off (they must fail)
     * @param failedUntagged assertions that failed without that tag
     * @param taggedButPassed tagged assertions that passed all the same
     * @param actionErrors actions that did not succeed (an ablation changes what is seen, never what can be done)
     */
    public record Outcome(
            Switch off,
            String runId,
            Set<String> disabledFlows,
            List<String> expected,
            List<AssertionResult> failedUntagged,
            List<String> taggedButPassed,
            List<ActionResult> actionErrors,
            Duration took) {

        public boolean agrees() {
            return failedUntagged.isEmpty() && taggedButPassed.isEmpty() && actionErrors.isEmpty();
        }
    }

    private final FlowCatalogue catalogue;

    public Ablation(FlowCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * Every switch the journey calls for: each capability its assertions claim (a-j, record-sharing), then each flow
     * they name, in catalogue order.
     */
    public List<Switch> switches(Journey journey) {
        List<Switch> switches = new ArrayList<>();
        new TreeSet<>(evidence(journey)).forEach(c -> switches.add(new Switch(Kind.CAPABILITY, c)));
        Set<String> named = assertions(journey).flatMap(s -> s.flows().stream()).collect(Collectors.toSet());
        for (SharingFlow flow : catalogue.flows()) {
            if (named.contains(flow.code())) {
                switches.add(new Switch(Kind.FLOW, flow.code()));
            }
        }
        return switches;
    }

    /** The capabilities (not governance or context) the journey's assertions are evidence for. */
    public static Set<String> evidence(Journey journey) {
        return assertions(journey)
                .flatMap(s -> s.capabilities().stream())
                .filter(c -> !c.equals(EvidenceRule.GOVERNANCE) && !c.equals(EvidenceRule.CONTEXT))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * The assertions that must fail with the switch off: those tagged with the capability, or (for a flow) those
     * that name the flow and expect to see something (a negative cannot fail for want of a flow).
     */
    public static List<String> tagged(Journey journey, Switch off) {
        return assertions(journey)
                .filter(s -> off.kind() == Kind.CAPABILITY
                        ? s.capabilities().contains(off.code())
                        : s.flows().contains(off.code()) && !s.expect().isNegative())
                .map(Sees::id)
                .toList();
    }

    /** Judges a replay of the journey made with {@code off} switched off. */
    public static Outcome judge(Journey journey, Switch off, JourneyResult result, Duration took) {
        List<String> expected = tagged(journey, off);
        List<AssertionResult> failedUntagged = result.assertions()
                .filter(a -> a.verdict() != Verdict.PASS && !expected.contains(a.id()))
                .toList();
        Set<String> failed = result.assertions()
                .filter(a -> a.verdict() != Verdict.PASS)
                .map(AssertionResult::id)
                .collect(Collectors.toSet());
        List<String> taggedButPassed =
                expected.stream().filter(id -> !failed.contains(id)).toList();
        List<ActionResult> actionErrors =
                result.actions().filter(a -> a.verdict() != Verdict.PASS).toList();
        return new Outcome(
                off,
                result.runId(),
                result.disabledFlows(),
                expected,
                failedUntagged,
                taggedButPassed,
                actionErrors,
                took);
    }

    /**
     * Every assertion: each step's sees, and each write it expects refused, seen as an assertion with the same tags:
     * the policy's refusal is a negative (no flow off can make it fail), a flow's refusal fails when that flow is off
     * (the write goes through).
     */
    private static java.util.stream.Stream<Sees> assertions(Journey journey) {
        return journey.steps().stream()
                .flatMap(s -> java.util.stream.Stream.concat(
                        s.sees().stream(), s.refusals().stream().map(Ablation::asAssertion)));
    }

    private static Sees asAssertion(org.ldrtestbed.scenarios.journey.Step.Refusal r) {
        boolean byFlow = r.reason().equals(org.ldrtestbed.scenarios.journey.Step.Refusal.FLOW);
        return new Sees(
                r.index(),
                r.id(),
                r.title(),
                r.capabilities(),
                r.flows(),
                "",
                null,
                byFlow
                        ? new org.ldrtestbed.scenarios.journey.Step.Expect(1, null, null)
                        : new org.ldrtestbed.scenarios.journey.Step.Expect(0, null, null),
                java.time.Duration.ZERO);
    }
}
