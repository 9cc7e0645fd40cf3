package org.ldrtestbed.scenarios.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.journey.Step;
import org.ldrtestbed.scenarios.report.JourneyResult;

/**
 * How a run treats the systems under test that take organisations' places (supplier mode): registered with the run,
 * the engine does not send for a sending system but waits for it, and an assertion the systems' part decides is not
 * checked against the shared record. {@link #NONE}: every organisation simulated.
 */
public interface SupplierMode {

    SupplierMode NONE = new SupplierMode() {
        @Override
        public List<SystemUnderTest> bindings() {
            return List.of();
        }

        @Override
        public JourneyResult.ActionResult awaitSent(Turn turn) {
            throw new IllegalStateException("no system under test sends anything in this run");
        }
    };

    /** What the run registers with the server. */
    List<SystemUnderTest> bindings();

    /**
     * The system under test that sends this flow for an actor of this role in this organisation's place, if any: by
     * default the organisation's, whatever the role.
     */
    default Optional<SystemUnderTest> sender(String flow, String organisation, String role) {
        return sender(flow, organisation);
    }

    /** The system under test that sends this flow in this organisation's place, if any. */
    default Optional<SystemUnderTest> sender(String flow, String organisation) {
        return bindings().stream()
                .filter(b -> b.direction() == SystemUnderTest.Direction.SENDS
                        && b.flow().equals(flow)
                        && b.organisation().equals(organisation))
                .findFirst();
    }

    /**
     * A step's action that a system under test does instead of the testbed.
     *
     * @param message the message the testbed would have sent itself, templates filled
     * @param at the action's instant on the journey's clock
     */
    record Turn(
            String runId,
            String journey,
            String nhsNumber,
            Step step,
            Step.SendHl7v2 action,
            String message,
            Instant at,
            SystemUnderTest system,
            AdminApi admin) {}

    /**
     * The systems under test the testbed pulls what this organisation writes from ({@code gpc-structured-record}): for
     * a step of one of its actors, the entries of the pulled flow's trigger types are the system's, not the engine's.
     */
    default List<SystemUnderTest> pulledFrom(String organisation) {
        return bindings().stream()
                .filter(b -> b.direction() == SystemUnderTest.Direction.SENDS
                        && SystemUnderTest.GPC_STRUCTURED_RECORD.equals(b.transport())
                        && b.organisation().equals(organisation))
                .toList();
    }

    /**
     * An entry the journey writes that the system under test holds instead.
     *
     * @param label the journey's label for it (later steps refer to it), or null
     * @param fullUrl the entry's {@code urn:uuid} among the step's others (their references to it use it)
     * @param resource the entry as the journey would have written it, templates filled
     */
    record Expected(String label, String fullUrl, org.hl7.fhir.r4.model.Resource resource) {}

    /** Files what a system under test answered in the shared record as the step's actor, binding the labels. */
    @FunctionalInterface
    interface Filing {
        /**
         * @param transaction a transaction Bundle of the entries to file
         * @param labels per entry, the journey label it fills, or null
         * @return per entry, the reference the shared record gave it
         */
        List<String> file(org.hl7.fhir.r4.model.Bundle transaction, List<String> labels);
    }

    /**
     * A step's entries that a system under test holds: the testbed prompts for them, pulls them and files them.
     *
     * @param patientReference the run's patient in the shared record
     * @param at the step's instant on the journey's clock
     */
    record PullTurn(
            String runId,
            String journey,
            String nhsNumber,
            String patientReference,
            Step step,
            Step.Write action,
            List<Expected> expected,
            Instant at,
            SystemUnderTest system,
            AdminApi admin,
            Filing filing) {
        public PullTurn {
            expected = List.copyOf(expected);
        }
    }

    /** Prompts for, pulls (bounded), judges and files what the system holds in the action's place. */
    default JourneyResult.ActionResult awaitPulled(PullTurn turn) throws InterruptedException {
        throw new IllegalStateException("no system under test is pulled from in this run");
    }

    /** Waits (bounded) for the system's message in the action's place; the action's result says what came. */
    JourneyResult.ActionResult awaitSent(Turn turn) throws InterruptedException;

    /**
     * A step's FHIR document that a system under test sends instead of the testbed ({@code send-document}).
     *
     * @param document the document the testbed would have sent itself (FHIR JSON), templates filled
     * @param at the action's instant on the journey's clock
     */
    record DocumentTurn(
            String runId,
            String journey,
            String nhsNumber,
            Step step,
            Step.SendDocument action,
            String document,
            Instant at,
            SystemUnderTest system,
            AdminApi admin) {}

    /**
     * What a sending system's document came to: the action's result and, when the testbed filed it, where (the
     * step's label then names what arrived).
     *
     * @param stored the stored document's id with its version ({@code Bundle/12/_history/1}), or null
     */
    record SentDocument(JourneyResult.ActionResult result, String stored) {}

    /** Waits (bounded) for the system's document in the action's place. */
    default SentDocument awaitDocument(DocumentTurn turn) throws InterruptedException {
        throw new IllegalStateException("no system under test sends documents in this run");
    }

    /** An assertion the systems' part decides (BLOCKED, NOT_TESTED), or empty to check it against the record. */
    default Optional<JourneyResult.AssertionResult> preempt(String stepId, Step.Sees sees) {
        return Optional.empty();
    }

    /**
     * An assertion as checked against the record, or what the systems' part makes of it: one that failed (or could not
     * be checked) after a
     * message of a flow it waits on did not come right from a system under test is BLOCKED (it may have needed that
     * message); one that passed did not need it.
     */
    default JourneyResult.AssertionResult judged(JourneyResult.AssertionResult checked) {
        return checked;
    }

    /** Told once the run's steps are done, before the run is forgotten by the server. */
    default void runEnded(JourneyResult result, AdminApi admin) throws InterruptedException {}
}
