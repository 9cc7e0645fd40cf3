package org.ldrtestbed.scenarios.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What happened when a journey ran: every step, action and assertion with its verdict. Reports trace capability →
 * step → assertion → result from this.
 *
 * @param notCovered what the journey declares it does not cover, capability code → why (the journey file's
 *     {@code not-covered})
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
        List<Timeliness> timeliness,
        String deployment,
        List<UnmetNeed> unmetNeeds,
        Map<String, String> notCovered) {

    /** The deployment profile every flow is live in. */
    public static final String FULL_DEPLOYMENT = "full";

    /** Tag of an assertion that is seen but is evidence for no capability: shown, never counted. */
    public static final String CONTEXT = "context";

    /** A run on the full deployment, with nothing unmet by a profile. */
    public JourneyResult(
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
        this(
                journeyId,
                title,
                file,
                runId,
                server,
                started,
                elapsed,
                nhsNumber,
                disabledFlows,
                notes,
                steps,
                timeliness,
                FULL_DEPLOYMENT,
                List.of(),
                Map.of());
    }

    /** The same result, with what its journey declares it does not cover. */
    public JourneyResult withNotCovered(Map<String, String> reasons) {
        return new JourneyResult(
                journeyId,
                title,
                file,
                runId,
                server,
                started,
                elapsed,
                nhsNumber,
                disabledFlows,
                notes,
                steps,
                timeliness,
                deployment,
                unmetNeeds,
                reasons);
    }

    /** The capability codes reported on, in order. */
    public static final List<String> CAPABILITIES =
            List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "record-sharing", "governance");

    public JourneyResult {
        disabledFlows = Set.copyOf(disabledFlows);
        notes = List.copyOf(notes);
        steps = List.copyOf(steps);
        timeliness = timeliness == null ? List.of() : List.copyOf(timeliness);
        deployment = deployment == null ? FULL_DEPLOYMENT : deployment;
        unmetNeeds = unmetNeeds == null ? List.of() : List.copyOf(unmetNeeds);
        notCovered = notCovered == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(notCovered));
    }

    public Stream<AssertionResult> assertions() {
        return steps.stream().flatMap(s -> s.assertions().stream());
    }

    public Stream<ActionResult> actions() {
        return steps.stream().flatMap(s -> s.actions().stream());
    }

    /** True when every assertion passed (or was a system under test's to show) and every action succeeded. */
    public boolean passed() {
        return assertions().allMatch(a -> a.verdict() == Verdict.PASS || a.verdict() == Verdict.NOT_TESTED)
                && actions().allMatch(a -> a.verdict() == Verdict.PASS);
    }

    /** Per capability: PASS when all its assertions pass, FAIL when any does not, NOT_COVERED when it has none. */
    public Map<String, CapabilityVerdict> capabilityVerdicts() {
        Map<String, CapabilityVerdict> verdicts = new LinkedHashMap<>();
        for (String capability : CAPABILITIES) {
            // What a system under test holds is its conformance report's to judge, not the record's.
            List<AssertionResult> covering = assertions()
                    .filter(a -> a.capabilities().contains(capability) && a.verdict() != Verdict.NOT_TESTED)
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
        NOT_COVERED,
        /** Not checked: what it needed from a system under test never came (that system's step failed). */
        BLOCKED,
        /** Not checked by the testbed: a system under test holds what it reads (its conformance checks say). */
        NOT_TESTED
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
     * An "I can see..." that a deployment profile left unmet: the assertion failed because a flow it depends on is
     * not live for the organisation (or service) that would send it.
     *
     * @param stepId the step whose assertion went unmet
     * @param assertionId the assertion
     * @param need what the actor needed to see, in their words (the assertion's title)
     * @param capability the capability that would meet it
     * @param flow the catalogue flow that would carry it
     * @param sourceOrganisation ODS code of the sender the profile names (or null for every sender)
     * @param sourceService the service or site within that organisation the profile names, or null
     * @param status how the profile has it: {@code planned} or {@code absent}
     * @param planned when it is planned (ISO date or free text such as "2018-03"), or null
     * @param note what the profile says of it (e.g. "dependent on the county council"), or null
     */
    public record UnmetNeed(
            String stepId,
            String assertionId,
            String need,
            String capability,
            String flow,
            String sourceOrganisation,
            String sourceService,
            String status,
            String planned,
            String note) {}

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
     * One assertion's outcome.
     *
     * @param query the search as sent (templates filled)
     * @param detail what was found, or why it could not be checked
     * @param millis time to the verdict, including waiting for asynchronous flows
     * @param grantedBy the care relationships the server said let the actor see what the query returned (its {@code
     *     X-Care-Relationship} header), e.g. {@code patient=Patient/12; organisation=SYNCM; kind=recorded;
     *     via=CareTeam.participant.member; event=CareTeam/13}; empty when none was needed or given
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
            long millis,

            @com.fasterxml.jackson.annotation.JsonInclude(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
            List<String> grantedBy) {
        public AssertionResult {
            capabilities = Set.copyOf(capabilities);
            flows = Set.copyOf(flows);
            grantedBy = grantedBy == null ? List.of() : List.copyOf(grantedBy);
        }

        /** An outcome no care relationship is named for. */
        public AssertionResult(
                String stepId,
                String id,
                String title,
                Set<String> capabilities,
                Set<String> flows,
                String query,
                Verdict verdict,
                String detail,
                long millis) {
            this(stepId, id, title, capabilities, flows, query, verdict, detail, millis, List.of());
        }
    }
}
