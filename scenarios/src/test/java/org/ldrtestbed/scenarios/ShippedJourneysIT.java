package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.scenarios.ablation.Ablation;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.reference.FlowReference;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Every shipped journey, end to end, against a real testbed on PostgreSQL; and its ablation: with any capability it
 * is evidence for switched off (every flow of it), exactly the assertions tagged with that capability fail, and
 * everything else still passes.
 */
@ExtendWith(SharedTestbed.class)
class ShippedJourneysIT {

    private static final List<Journey> JOURNEYS = new JourneyCatalogue().all();
    private static final FlowCatalogue FLOWS = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);

    static Stream<String> journeys() {
        return JOURNEYS.stream().map(Journey::id);
    }

    @Test
    void everyFlowOfTheCatalogueIsCheckedBySomeJourney() {
        Set<String> checked =
                JOURNEYS.stream().flatMap(j -> flowsOf(j).stream()).collect(Collectors.toSet());
        assertThat(checked)
                .containsAll(FLOWS.flows().stream().map(SharingFlow::code).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("journeys")
    void everyAssertionPasses(String journeyId, EmbeddedTestbed testbed) throws Exception {
        java.time.Instant startedAt = java.time.Instant.now();
        JourneyResult result = JourneyITSupport.replay(testbed, journey(journeyId));

        assertThat(result.actions())
                .allSatisfy(a -> assertThat(a.verdict()).as(a.detail()).isEqualTo(Verdict.PASS));
        assertThat(result.assertions())
                .isNotEmpty()
                .allSatisfy(a ->
                        assertThat(a.verdict()).as(a.id() + ": " + a.detail()).isEqualTo(Verdict.PASS));
        assertThat(result.passed()).isTrue();
        everyFlowItDependsOnLoggedEachStage(testbed, journey(journeyId), result);
        REPLAYED.put(journeyId, new Replayed(testbed, result.runId(), result.nhsNumber(), startedAt));
    }

    /** A journey's passing replay, whose deliveries the flow reference is generated from. */
    private record Replayed(EmbeddedTestbed testbed, String runId, String nhsNumber, java.time.Instant startedAt) {}

    private static final Map<String, Replayed> REPLAYED = new ConcurrentHashMap<>();

    /**
     * docs/flow-reference.md is what the shipped journeys' replays show each flow files: regenerated here once every
     * journey has passed, and the committed copy must be the same (TESTBED_UPDATE_FLOW_REFERENCE=1 rewrites it).
     */
    @AfterAll
    static void theFlowReferenceSaysWhatTheFlowsFiled() throws Exception {
        if (!REPLAYED.keySet().containsAll(JOURNEYS.stream().map(Journey::id).toList())) {
            return; // a partial run (one test selected, or a journey failed and said so) cannot regenerate it
        }
        FlowReference reference = new FlowReference(FhirContext.forR4Cached());
        for (Journey journey : JOURNEYS) {
            Replayed replayed = REPLAYED.get(journey.id());
            for (MessageLogEntry entry : settledDeliveries(replayed)) {
                for (String ref : FlowReference.referencesIn(entry.detail())) {
                    replayed.testbed()
                            .readAsServer(ref)
                            .ifPresent(r -> reference.observe(entry.flowCode(), journey.id(), r));
                }
            }
        }
        String generated = reference.markdown(FLOWS);
        Files.writeString(Path.of("target/flow-reference.md"), generated);
        Path committed = Path.of("../docs/flow-reference.md");
        if ("1".equals(System.getenv("TESTBED_UPDATE_FLOW_REFERENCE"))) {
            Files.writeString(committed, generated);
        }
        assertThat(reference.observedFlows())
                .containsAll(FLOWS.flows().stream().map(SharingFlow::code).toList());
        assertThat(Files.exists(committed) ? Files.readString(committed) : "")
                .as("docs/flow-reference.md differs from what the replays filed (scenarios/target/flow-reference.md);"
                        + " regenerate it with TESTBED_UPDATE_FLOW_REFERENCE=1")
                .isEqualTo(generated);
    }

    /**
     * The run's DELIVERED log entries (HL7v2 ones found by NHS number, as no run header travels over MLLP), once the
     * flows' outbox is empty and every message of the run has reached a terminal stage.
     */
    private static List<MessageLogEntry> settledDeliveries(Replayed replayed) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(120).toNanos();
        while (true) {
            List<MessageLogEntry> all = new java.util.ArrayList<>();
            all.addAll(replayed.testbed()
                    .messageLog()
                    .search(new MessageQuery(null, null, replayed.runId(), null, null, 5000)));
            // HL7v2 entries of an unregistered run carry only the NHS number; other runs of the same patient (the
            // capability ablation replays this journey too) must not add what they filed.
            replayed
                    .testbed()
                    .messageLog()
                    .search(new MessageQuery(replayed.nhsNumber(), null, null, null, null, 5000))
                    .stream()
                    .filter(e -> e.journeyId() == null && !e.at().isBefore(replayed.startedAt()))
                    .forEach(all::add);
            Map<String, Boolean> settled = new java.util.HashMap<>();
            for (MessageLogEntry e : all) {
                settled.merge(
                        e.messageId(),
                        e.stage() == Stage.DELIVERED || e.stage() == Stage.DEAD_LETTERED,
                        Boolean::logicalOr);
            }
            if ((!settled.containsValue(false) && replayed.testbed().outboxPending() == 0)
                    || System.nanoTime() > deadline) {
                Map<String, MessageLogEntry> delivered = new java.util.TreeMap<>();
                all.stream()
                        .filter(e -> e.stage() == Stage.DELIVERED)
                        .forEach(e -> delivered.putIfAbsent(e.messageId(), e));
                return List.copyOf(delivered.values());
            }
            Thread.sleep(200);
        }
    }

    /** The audit side of each flow: its messages for this run are in the log at every stage, with the run's id. */
    private static void everyFlowItDependsOnLoggedEachStage(
            EmbeddedTestbed testbed, Journey journey, JourneyResult result) {
        for (String flow : flowsOf(journey)) {
            if (FLOWS.flow(flow).orElseThrow().trigger().hl7v2Events().isEmpty()) {
                for (Stage stage : List.of(Stage.RECEIVED, Stage.TRANSFORMED, Stage.DELIVERED)) {
                    assertThat(testbed.messageLog()
                                    .search(new MessageQuery(null, flow, result.runId(), null, stage, 0)))
                            .as(flow + " " + stage + " for run " + result.runId())
                            .isNotEmpty();
                }
            } else {
                // HL7v2 arrives over MLLP, where no journey header travels: its entries carry the NHS number.
                assertThat(testbed.messageLog()
                                .search(new MessageQuery(result.nhsNumber(), flow, null, null, Stage.DELIVERED, 0)))
                        .as(flow + " DELIVERED for " + result.nhsNumber())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void everyUniversalCapabilityIsCarriedByAFlowThatSomeJourneyDependsOn() {
        Set<String> capabilities = JOURNEYS.stream()
                .flatMap(j -> flowsOf(j).stream())
                .map(f -> FLOWS.flow(f).orElseThrow().capability())
                .collect(Collectors.toSet());
        assertThat(capabilities).contains("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "record-sharing");
    }

    @Test
    void dotsJourneyHoldsEveryNarratedSightingAndPassesCapabilitiesEAndF(EmbeddedTestbed testbed) throws Exception {
        JourneyResult result = JourneyITSupport.replay(testbed, journey("dot"));

        assertThat(result.assertions()).hasSizeGreaterThanOrEqualTo(50);
        assertThat(result.capabilityVerdicts().get("e").verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.capabilityVerdicts().get("f").verdict()).isEqualTo(Verdict.PASS);
        // Timeliness per step, on the journey's clock from the record's own times: the summary reached the GP
        // within 24 hours of discharge; the CP-IS lookup ran only when A&E recorded the attendance, at admission,
        // 45 minutes after her arrival - later than its 5-minute rule, and reported so.
        assertThat(result.timeliness())
                .anySatisfy(t -> {
                    assertThat(t.stepId()).isEqualTo("discharge-nurse-discharges-dot");
                    assertThat(t.flow()).isEqualTo("discharge-summary");
                    assertThat(t.verdict()).isEqualTo("MET");
                })
                .anySatisfy(t -> {
                    assertThat(t.flow()).isEqualTo("cp-is-access");
                    assertThat(t.verdict()).isEqualTo("LATE");
                    assertThat(t.elapsed()).isGreaterThanOrEqualTo(java.time.Duration.ofMinutes(45));
                });
    }

    /**
     * HL7v2 flows are timed too, from the event time the message itself reports (EVN-2), which the server reads off
     * the message at receipt: without it the meter could only fall back on the step's time and the log would show none.
     */
    @Test
    void hl7v2FlowsAreTimedFromTheEventTimeTheMessageReports(EmbeddedTestbed testbed) throws Exception {
        JourneyResult result = JourneyITSupport.replay(testbed, journey("adt-notifications"));

        Map<String, java.time.Instant> stepTimes = result.steps().stream()
                .collect(Collectors.toMap(JourneyResult.StepResult::id, JourneyResult.StepResult::at));
        assertThat(result.timeliness())
                .filteredOn(t -> t.flow().equals("adt-notification"))
                .hasSize(3)
                .allSatisfy(t -> {
                    assertThat(t.measuredFrom()).isEqualTo("event time (EVN-2)");
                    assertThat(t.from()).isEqualTo(stepTimes.get(t.stepId()));
                    assertThat(t.verdict()).isEqualTo("MET");
                });
        assertThat(testbed.messageLog()
                        .search(new MessageQuery(null, "adt-notification", result.runId(), null, Stage.RECEIVED, 0)))
                .hasSize(3)
                .allSatisfy(e -> assertThat(e.timelinessFrom()).isNotNull())
                .extracting(e -> java.time.Instant.parse(e.timelinessFrom()))
                .containsExactlyInAnyOrderElementsOf(result.timeliness().stream()
                        .filter(t -> t.flow().equals("adt-notification"))
                        .map(JourneyResult.Timeliness::from)
                        .toList());
    }

    /**
     * A capability's verdict is evidence: with every flow of the capability switched off, every assertion tagged with
     * it fails, and nothing else does (context, governance and other capabilities still pass).
     */
    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("journeyCapabilities")
    void withACapabilityOffEveryAssertionTaggedWithItFailsAndNothingElse(
            String journeyId, String capability, EmbeddedTestbed testbed) throws Exception {
        Journey journey = journey(journeyId);
        Ablation.Switch off = new Ablation.Switch(Ablation.Kind.CAPABILITY, capability);
        List<String> flows = FLOWS.flows().stream()
                .filter(f -> f.capability().equals(capability))
                .map(SharingFlow::code)
                .toList();
        assertThat(flows).as("flows of " + capability).isNotEmpty();

        // Switched off for this run only, as `run --disable-capability` does: the server sees the run of each request.
        // Judged as `testbed ablate` judges it, so the command and the suite cannot disagree.
        JourneyResult result = JourneyITSupport.replay(testbed, journey, off.settings(FLOWS));
        Ablation.Outcome outcome = Ablation.judge(journey, off, result, java.time.Duration.ZERO);

        assertThat(result.disabledFlows()).containsExactlyInAnyOrderElementsOf(flows);
        assertThat(outcome.expected()).isNotEmpty();
        assertThat(outcome.actionErrors())
                .extracting(a -> a.title() + ": " + a.detail())
                .isEmpty();
        assertThat(outcome.failedUntagged())
                .extracting(a -> a.id() + ": " + a.detail())
                .isEmpty();
        assertThat(outcome.taggedButPassed()).isEmpty();
        assertThat(result.assertions().filter(a -> outcome.expected().contains(a.id())))
                .allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.FAIL));
        assertThat(result.capabilityVerdicts().get(capability).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.passed()).isFalse();
    }

    /** Every capability of the catalogue is shown by some assertion that depends on it. */
    @Test
    void everyCapabilityOfTheCatalogueHasEvidenceInSomeJourney() {
        Set<String> evidenced =
                JOURNEYS.stream().flatMap(j -> evidenceOf(j).stream()).collect(Collectors.toSet());
        assertThat(evidenced)
                .containsAll(FLOWS.flows().stream().map(SharingFlow::capability).collect(Collectors.toSet()));
    }

    /** (journey, capability) for every capability a journey's assertions are evidence for. */
    static Stream<Arguments> journeyCapabilities() {
        return JOURNEYS.stream().flatMap(j -> evidenceOf(j).stream().sorted().map(c -> Arguments.of(j.id(), c)));
    }

    private static Set<String> evidenceOf(Journey journey) {
        return Ablation.evidence(journey);
    }

    private static Set<String> flowsOf(Journey journey) {
        return journey.steps().stream()
                .flatMap(s -> s.sees().stream())
                .flatMap(s -> s.flows().stream())
                .collect(Collectors.toSet());
    }

    private static Journey journey(String id) {
        return JOURNEYS.stream().filter(j -> j.id().equals(id)).findFirst().orElseThrow();
    }
}
