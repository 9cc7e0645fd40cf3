package org.ldrtestbed.scenarios.report;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What happened when a journey ran: every step, action and assertion with its verdict. Reports trace capability →
 * step → assertion → result from this.
 */
public record JourneyResult(
        String journeyId,
        String title,
        String file,
        String runId,
        String server,
        Instant started,
        Duration elapsed,
        String nhsNumber,
        Set<String> disabledFlows,
        List<String> notes,
        List<StepResult> steps,
        List<Timeliness> timeliness) {

    /** The capability codes reported on, in order. */
    public static final List<String> CAPABILITIES =
            List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "record-sharing", "governance");

    public JourneyResult {
        disabledFlows = Set.copyOf(disabledFlows);
        notes = List.copyOf(notes);
        steps = List.copyOf(steps);
        timeliness = timeliness == null ? List.of() : List.copyOf(timeliness);
    }

    public Stream<AssertionResult> assertions() {
        return steps.stream().flatMap(s -> s.assertions().stream());
    }

    public Stream<ActionResult> actions() {
        return steps.stream().flatMap(s -> s.actions().stream());
    }

    /** True when every assertion passed and every action succeeded. */
    public boolean passed() {
        return assertions().allMatch(a -> a.verdict() == Verdict.PASS)
                && actions().allMatch(a -> a.verdict() == Verdict.PASS);
    }

    /** Per capability: PASS when all its assertions pass, FAIL when any does not, NOT_COVERED when it has none. */
    public Map<String, CapabilityVerdict> capabilityVerdicts() {
        Map<String, CapabilityVerdict> verdicts = new LinkedHashMap<>();
        for (String capability : CAPABILITIES) {
            List<AssertionResult> covering = assertions()
                    .filter(a -> a.capabilities().contains(capability))
                    .toList();
            long passed =
                    covering.stream().filter(a -> a.verdict() == Verdict.PASS).count();
            verdicts.put(
                    capability,
                    new CapabilityVerdict(
                            capability,
                            covering.isEmpty()
                                    ? Verdict.NOT_COVERED
                                    : passed == covering.size() ? Verdict.PASS : Verdict.FAIL,
                            (int) passed,
                            covering.size()));
        }
        return verdicts;
    }

    public enum Verdict {
        PASS,
        FAIL,
        ERROR,
        NOT_COVERED
    }

    public record CapabilityVerdict(String capability, Verdict verdict, int passed, int total) {}

    public record StepResult(
            String id,
            String title,
            boolean background,
            String actor,
            String username,
            Instant at,
            List<ActionResult> actions,
            List<AssertionResult> assertions) {
        public StepResult {
            actions = List.copyOf(actions);
            assertions = List.copyOf(assertions);
        }
    }

    public record ActionResult(String title, Verdict verdict, String detail) {}

    /**
     * One flow message a step caused, timed on the journey's clock against its flow's rule.
     *
     * @param from the event the rule counts from, as the record says (or the step's write when it says none)
     * @param delivered when it was filed at the recipient: the step's time plus the real time the flow took
     * @param verdict MET, LATE or NOT_DELIVERED
     */
    public record Timeliness(
            String stepId,
            String flow,
            String messageId,
            String measuredFrom,
            Instant from,
            Instant delivered,
            Duration elapsed,
            Duration rule,
            String verdict) {}

    /**
     * @param query the search as sent (templates filled)
     * @param detail what was found, or why it could not be checked
     * @param millis time to the verdict, including waiting for asynchronous flows
     */
    public record AssertionResult(
            String stepId,
            String id,
            String title,
            Set<String> capabilities,
            Set<String> flows,
            String query,
            Verdict verdict,
            String detail,
            long millis) {
        public AssertionResult {
            capabilities = Set.copyOf(capabilities);
            flows = Set.copyOf(flows);
        }
    }
}
