package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.conformance.ConformanceCheck;
import org.ldrtestbed.scenarios.conformance.FhirValidation;
import org.ldrtestbed.scenarios.conformance.PromptListener;
import org.ldrtestbed.scenarios.conformance.ReferenceSystems;
import org.ldrtestbed.scenarios.conformance.SupplierSession;
import org.ldrtestbed.scenarios.conformance.SystemsFile;
import org.ldrtestbed.scenarios.conformance.SystemsLoader;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.engine.JourneyRunner;
import org.ldrtestbed.scenarios.engine.RunSettings;
import org.ldrtestbed.scenarios.journey.JourneyLoader;
import org.ldrtestbed.scenarios.report.ConsoleReport;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Supplier mode against real counterparts: the reference GP practice system (HAPI's plain RestfulServer) receives the
 * discharge summary and the reference PAS (HAPI HL7v2's MLLP client) sends the admission, in a short fixture journey
 * on a real testbed; each fault each can show yields the FAIL (and the BLOCKED steps) it should.
 */
@ExtendWith(SharedTestbed.class)
class ConformIT {

    private static final Path FIXTURE = Path.of("src/test/resources/engine-fixtures/supplier.journey.yaml");

    /** The run's checks, and the journey's own result. */
    record Conformed(JourneyResult journey, List<ConformanceCheck> checks) {
        ConformanceCheck check(String system, String check) {
            return checks.stream()
                    .filter(c -> c.system().equals(system) && c.check().equals(check))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + check + " check of " + system + " in " + checks));
        }

        JourneyResult.AssertionResult assertion(String id) {
            return journey.assertions()
                    .filter(a -> a.id().equals(id))
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void bothReferenceSystemsTakePartCorrectly(EmbeddedTestbed testbed) throws Exception {
        Conformed run = conform(testbed, "none", "none");

        assertThat(run.checks())
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.verdict()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
        assertThat(run.checks())
                .extracting(c -> c.system() + " " + c.check())
                .contains(
                        "reference-gp transport",
                        "reference-gp acknowledgement",
                        "reference-gp filed",
                        "reference-gp timeliness",
                        "reference-pas transport",
                        "reference-pas content",
                        "reference-pas acknowledgement",
                        "reference-pas timeliness",
                        "reference-pas downstream");
        // The GP's admission notice came from the PAS under test; the summary went to the GP system, not the record.
        assertThat(run.assertion("gp-told-of-admission").verdict()).isEqualTo(Verdict.PASS);
        assertThat(run.assertion("document-filed-at-gp").verdict()).isEqualTo(Verdict.NOT_TESTED);
        assertThat(run.journey().passed()).isTrue();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("wrong-patient", "none", "reference-gp", "filed", "wrong patient"),
                Arguments.of("invalid", "none", "reference-gp", "acknowledgement", "not valid FHIR R4"),
                Arguments.of("5xx", "none", "reference-gp", "transport", "503"),
                Arguments.of("late", "none", "reference-gp", "transport", "accepted only on attempt"),
                Arguments.of("none", "wrong-patient", "reference-pas", "content", "wrong patient"),
                Arguments.of("none", "invalid", "reference-pas", "acknowledgement", "AR"),
                Arguments.of("none", "silence", "reference-pas", "transport", "nothing arrived"),
                Arguments.of("none", "late", "reference-pas", "timeliness", "LATE"));
    }

    @ParameterizedTest(name = "gp {0}, pas {1}: {2} fails {3}")
    @MethodSource("faults")
    void eachFaultFailsTheCheckItShould(
            String gpFault, String pasFault, String system, String check, String why, EmbeddedTestbed testbed)
            throws Exception {
        Conformed run = conform(testbed, gpFault, pasFault);

        ConformanceCheck failed = run.check(system, check);
        assertThat(failed.verdict()).as(failed.toString()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(failed.reason() + failed.issues()).contains(why);
        // The other system, behaving, still passes everything.
        String other = system.equals("reference-gp") ? "reference-pas" : "reference-gp";
        assertThat(run.checks().stream().filter(c -> c.system().equals(other)))
                .allSatisfy(c -> assertThat(c.verdict()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
        if (system.equals("reference-pas") && !pasFault.equals("late")) {
            // What the GP needed from the PAS never came right: blocked, not a failed assertion of the record.
            assertThat(run.assertion("gp-told-of-admission").verdict()).isEqualTo(Verdict.BLOCKED);
            assertThat(run.check("reference-pas", "downstream").verdict()).isEqualTo(ConformanceCheck.BLOCKED);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"fhir-rest", "mesh"})
    void theAcuteEprSendsTheDischargeSummaryAndTheGpSeesIt(String transport, EmbeddedTestbed testbed) throws Exception {
        Conformed run = conformWith(testbed, acuteEpr("none", transport));

        assertThat(run.check("reference-epr", "transport").reason()).startsWith("received over " + transport);

        assertThat(run.checks())
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.verdict()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
        assertThat(run.checks())
                .extracting(ConformanceCheck::check)
                .contains("transport", "content", "acknowledgement", "timeliness", "downstream");
        // What the EPR sent (not the testbed's own document) reached the simulated GP practice.
        assertThat(run.assertion("document-filed-at-gp").verdict()).isEqualTo(Verdict.PASS);
        assertThat(run.assertion("dose-task-at-gp").verdict()).isEqualTo(Verdict.PASS);
        assertThat(run.journey().steps().stream()
                        .filter(s -> s.id().equals("acute-sends-summary"))
                        .flatMap(s -> s.actions().stream())
                        .map(JourneyResult.ActionResult::detail))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("reference-epr sent its discharge-summary document: filed as Bundle/");
        assertThat(run.journey().passed()).isTrue();
    }

    static Stream<Arguments> eprFaults() {
        return Stream.of(
                Arguments.of("wrong-patient", "acknowledgement", "whose patient is not NHS number 9990000131", true),
                Arguments.of("wrong-patient", "content", "wrong patient", true),
                Arguments.of("invalid", "content", "Composition.status", false),
                Arguments.of("silence", "transport", "nothing arrived", true));
    }

    @ParameterizedTest(name = "epr {0}: {1} fails")
    @MethodSource("eprFaults")
    void eachFaultOfTheAcuteEprFailsItsStepAndBlocksTheGp(
            String fault, String check, String why, boolean gpBlocked, EmbeddedTestbed testbed) throws Exception {
        Conformed run = conformWith(testbed, acuteEpr(fault, "fhir-rest"));

        ConformanceCheck failed = run.check("reference-epr", check);
        assertThat(failed.verdict()).as(failed.toString()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(failed.reason() + failed.issues()).contains(why);
        if (gpBlocked) {
            // What the GP needed never came: blocked, not a failed assertion of the record.
            assertThat(run.assertion("document-filed-at-gp").verdict()).isEqualTo(Verdict.BLOCKED);
            assertThat(run.assertion("dose-task-at-gp").verdict()).isEqualTo(Verdict.BLOCKED);
            assertThat(run.check("reference-epr", "downstream").verdict()).isEqualTo(ConformanceCheck.BLOCKED);
        } else {
            // An invalid document the server still took (its write validation off) reached the GP: what the GP then
            // saw is evidence in its own right; the content check is what fails.
            assertThat(run.assertion("document-filed-at-gp").verdict()).isEqualTo(Verdict.PASS);
            assertThat(run.check("reference-epr", "downstream").verdict()).isEqualTo(ConformanceCheck.PASS);
        }
        assertThat(run.journey().steps().stream()
                        .filter(s -> s.id().equals("acute-sends-summary"))
                        .flatMap(s -> s.actions().stream())
                        .map(JourneyResult.ActionResult::verdict))
                .containsExactly(Verdict.FAIL);
    }

    private static String acuteEpr(String fault, String transport) {
        return """
                systems-file: fixture-epr
                format: 1
                title: The fixture's acute EPR sending the discharge summary
                systems:
                  - name: reference-epr
                    organisation: SYNAC
                    sends: [{flow: discharge-summary, transport: %s}]
                    reference: {role: acute-epr, faulty: %s}
                """.formatted(transport, fault);
    }

    @Test
    void aGpSystemReceivingOverMeshIsTimedOnTheServersClockThoughTheJourneysMovesOnBeforeItAcknowledges(
            EmbeddedTestbed testbed) throws Exception {
        // The summary is put at PT0M and the next step is at PT2H: the run's clock jumps while the system polls.
        Conformed run = conform(testbed, """
                systems-file: fixture-mesh
                format: 1
                title: The fixture's GP system, receiving over MESH
                systems:
                  - name: reference-gp
                    organisation: SYNG09
                    receives: [{flow: discharge-summary, transport: mesh}]
                    reference: {role: gp-practice}
                """, FIXTURE);

        assertThat(run.checks().stream().filter(c -> c.system().equals("reference-gp")))
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.verdict()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
        assertThat(run.check("reference-gp", "acknowledgement").reason()).startsWith("acknowledged after PT");
    }

    @Test
    void aPasBoundForTheDischargeNurseIsJudgedOnItsDischargeAloneWhileTheTestbedSendsTheRest(EmbeddedTestbed testbed)
            throws Exception {
        Conformed run = conform(
                testbed, """
                systems-file: fixture-roles
                format: 1
                title: The acute trust's ward system, for its discharge nurses only
                systems:
                  - name: reference-pas
                    organisation: SYNAC
                    roles: [discharge-nurse]
                    sends: [{flow: adt-notification, transport: mllp}]
                    reference: {role: acute-pas}
                """, Path.of("src/main/resources/journeys/record-sharing/adt-notifications.journey.yaml"));

        List<ConformanceCheck> pas = run.checks().stream()
                .filter(c -> c.system().equals("reference-pas"))
                .toList();
        assertThat(pas)
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.verdict()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
        // Its checks are of the discharge it sent and what came after it, not the testbed's A01 and A02.
        assertThat(pas.stream().filter(c -> !c.check().equals("downstream")))
                .allSatisfy(c -> assertThat(c.step()).isEqualTo("pas-discharges-ezra"));
        assertThat(pas.stream().filter(c -> c.check().equals("downstream")))
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.step()).isEqualTo("gp-hears-of-discharge"));
        assertThat(run.assertion("gp-sees-admission-notice").verdict()).isEqualTo(Verdict.PASS);
        assertThat(run.journey().passed()).as(run.journey().toString()).isTrue();
    }

    /**
     * The GP system receives the admission notice itself, as HL7v2 over MLLP (the PAS under test sends it to the
     * testbed, the testbed sends it on): the shared record files only the stay, so the GP's "told of the admission"
     * in the record is not tested, and the GP system's checks say what it did.
     */
    @Test
    void theReferenceGpSystemReceivesTheAdmissionOverMllp(EmbeddedTestbed testbed) throws Exception {
        Conformed run = conformOverMllp(testbed, "none");

        assertThat(run.checks().stream().filter(c -> c.system().equals("reference-gp")))
                .extracting(ConformanceCheck::check)
                .containsExactlyInAnyOrder("transport", "acknowledgement", "filed", "timeliness");
        assertThat(run.checks())
                .allSatisfy(c -> assertThat(c.verdict())
                        .as(c.toString())
                        .isIn(ConformanceCheck.PASS, ConformanceCheck.NOT_TESTED));
        assertThat(run.checks().stream().filter(c -> c.system().equals("reference-gp")))
                .allSatisfy(c -> assertThat(c.verdict()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
        assertThat(run.check("reference-gp", "filed").reason()).contains("one Encounter, for the same patient");
        assertThat(run.assertion("gp-told-of-admission").verdict()).isEqualTo(Verdict.NOT_TESTED);
        assertThat(run.assertion("document-filed-at-gp").verdict()).isEqualTo(Verdict.PASS);
    }

    static Stream<Arguments> mllpFaults() {
        return Stream.of(
                // The last: the PAS's timeliness when its message's recipient is this GP system.
                Arguments.of("wrong-patient", "filed", "wrong patient", ConformanceCheck.PASS),
                Arguments.of("invalid", "acknowledgement", "no acknowledgement", ConformanceCheck.NOT_TESTED),
                Arguments.of("5xx", "transport", "AE", ConformanceCheck.NOT_TESTED),
                Arguments.of("silence", "transport", "did not acknowledge", ConformanceCheck.NOT_TESTED),
                Arguments.of("late", "transport", "not acknowledged AA in time", ConformanceCheck.PASS));
    }

    @ParameterizedTest(name = "gp over mllp {0}: fails {1}")
    @MethodSource("mllpFaults")
    void eachFaultOfTheGpSystemOverMllpFailsTheCheckItShould(
            String gpFault, String check, String why, String pasTimeliness, EmbeddedTestbed testbed) throws Exception {
        Conformed run = conformOverMllp(testbed, gpFault);

        ConformanceCheck failed = run.check("reference-gp", check);
        assertThat(failed.verdict()).as(failed.toString()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(failed.reason() + failed.issues()).contains(why);
        // The PAS sent correctly all the same: a message its recipient system never took is not the PAS's lateness.
        for (String pasCheck : List.of("transport", "content", "acknowledgement")) {
            assertThat(run.check("reference-pas", pasCheck).verdict()).isEqualTo(ConformanceCheck.PASS);
        }
        assertThat(run.check("reference-pas", "timeliness").verdict())
                .as(run.check("reference-pas", "timeliness").toString())
                .isEqualTo(pasTimeliness);
    }

    private static Conformed conformOverMllp(EmbeddedTestbed testbed, String gpFault) throws Exception {
        return conformWith(testbed, """
                systems-file: fixture-mllp
                format: 1
                title: The fixture's GP system receiving ADT over MLLP, and the PAS sending it
                systems:
                  - name: reference-gp
                    organisation: SYNG09
                    receives: [{flow: adt-notification, transport: mllp}]
                    reference: {role: gp-practice, faulty: %s}
                  - name: reference-pas
                    organisation: SYNAC
                    sends: [{flow: adt-notification, transport: mllp}]
                    reference: {role: acute-pas}
                """.formatted(gpFault));
    }

    private static Conformed conform(EmbeddedTestbed testbed, String gpFault, String pasFault) throws Exception {
        return conform(testbed, """
                systems-file: fixture
                format: 1
                title: The fixture's GP system and PAS
                systems:
                  - name: reference-gp
                    organisation: SYNG09
                    receives: [{flow: discharge-summary, transport: fhir-rest}]
                    reference: {role: gp-practice, faulty: %s}
                  - name: reference-pas
                    organisation: SYNAC
                    sends: [{flow: adt-notification, transport: mllp}]
                    reference: {role: acute-pas, faulty: %s}
                """.formatted(gpFault, pasFault), FIXTURE);
    }

    private static Conformed conformWith(EmbeddedTestbed testbed, String systems) throws Exception {
        return conform(testbed, systems, FIXTURE);
    }

    private static Conformed conform(EmbeddedTestbed testbed, String systemsYaml, Path journey) throws Exception {
        SystemsFile file = new SystemsLoader().load("fixture.systems.yaml", systemsYaml);
        List<PromptListener> listeners = new ArrayList<>();
        try (ReferenceSystems references =
                ReferenceSystems.start(file.systems(), testbed.connection(), listeners::add, System.out)) {
            SupplierSession session = new SupplierSession(
                    references.systems(),
                    FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION),
                    new FhirValidation(FhirContext.forR4Cached()),
                    Duration.ofSeconds(10),
                    listeners,
                    Clock.systemUTC());
            JourneyResult result = new JourneyRunner(
                            FhirContext.forR4Cached(),
                            testbed.connection(),
                            testbed.realm(),
                            testbed.flows().disabled(),
                            RunSettings.FULL)
                    .withSupplierMode(session)
                    .run(new JourneyLoader().load(journey));
            new ConsoleReport().print(result, System.out);
            session.checks().forEach(System.out::println);
            return new Conformed(result, session.checks());
        }
    }

    @Test
    void conformExitsOneOnAFailAndWritesItsThreeFiles(EmbeddedTestbed testbed, @TempDir Path reports) throws Exception {
        Path systems = reports.resolve("fixture.systems.yaml");
        java.nio.file.Files.writeString(systems, """
                systems-file: fixture-cli
                format: 1
                title: The fixture's GP system, failing
                systems:
                  - name: reference-gp
                    organisation: SYNG09
                    receives: [{flow: discharge-summary, transport: fhir-rest}]
                    reference: {role: gp-practice}
                """);
        CommandOutcome outcome = CommandOutcome.execute(
                "conform",
                "--systems",
                systems.toString(),
                "--journey",
                FIXTURE.toString(),
                "--faulty",
                "reference-gp=5xx",
                "--server",
                testbed.fhirBase(),
                "--mllp",
                testbed.mllp().toString(),
                "--report-dir",
                reports.toString());

        assertThat(outcome.code()).as(outcome.out() + outcome.err()).isEqualTo(1);
        assertThat(outcome.out()).contains("reference-gp in SYNG09's place (fault 5xx): FAIL");
        try (Stream<Path> files = java.nio.file.Files.walk(reports)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("conformance.json", "conformance.html", "junit.xml");
        }
    }

    @Test
    void dotConformsWithTheAcuteTrustsEprAndPasPlayedByTheReferenceSystems(
            EmbeddedTestbed testbed, @TempDir Path reports) throws Exception {
        CommandOutcome outcome = CommandOutcome.execute(
                "conform",
                "--systems",
                "dot-acute-epr",
                "--server",
                testbed.fhirBase(),
                "--mllp",
                testbed.mllp().toString(),
                "--report-dir",
                reports.toString());

        assertThat(outcome.code()).as(outcome.out() + outcome.err()).isZero();
        assertThat(outcome.out())
                .contains("Conformance (dot-acute-epr): PASS")
                .contains("reference-epr in SYNAC's place: PASS")
                .contains("reference-pas in SYNAC's place: PASS");
        // Her GP practice is simulated: it saw the EPR's summary downstream, every assertion of it judged and passed.
        Path json;
        try (Stream<Path> files = java.nio.file.Files.walk(reports)) {
            json = files.filter(p -> p.getFileName().toString().equals("conformance.json"))
                    .findFirst()
                    .orElseThrow();
        }
        com.fasterxml.jackson.databind.JsonNode report =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(report.toString())
                .contains("The hospital's discharge summary is filed in our practice record")
                .doesNotContain("\"FAIL\"")
                .doesNotContain("\"BLOCKED\"");
    }

    @Test
    void dotConformsWithHerGpPracticeAndTheAcutePasPlayedByTheReferenceSystems(
            EmbeddedTestbed testbed, @TempDir Path reports) throws Exception {
        CommandOutcome outcome = CommandOutcome.execute(
                "conform",
                "--systems",
                "dot-reference",
                "--server",
                testbed.fhirBase(),
                "--mllp",
                testbed.mllp().toString(),
                "--report-dir",
                reports.toString());

        assertThat(outcome.code()).as(outcome.out() + outcome.err()).isZero();
        assertThat(outcome.out())
                .contains("Conformance (dot-reference): PASS")
                .contains("reference-gp in SYNG09's place: PASS")
                .contains("reference-pas in SYNAC's place: PASS")
                .contains("Conformance report: ")
                // Her medicines and allergy were the GP system's: prompted for, pulled, filed, then seen downstream.
                .contains("WAITING for reference-gp")
                .containsPattern("PASS +gp-record-long-term +gp-summary +filed +pulled from reference-gp")
                .containsPattern("PASS +gp-record-recent +gp-summary +content ")
                .containsPattern("PASS +paramedic-assesses-and-conveys +gp-summary +downstream");
        // Her GP system received her admission and her discharge over MLLP, and each was judged.
        JsonNode report;
        try (Stream<Path> files = java.nio.file.Files.walk(reports)) {
            Path json = files.filter(p -> p.getFileName().toString().equals("conformance.json"))
                    .findFirst()
                    .orElseThrow();
            report = new ObjectMapper().readTree(json.toFile());
        }
        List<JsonNode> adt = new ArrayList<>();
        report.findValues("checks")
                .forEach(checks -> checks.forEach(c -> {
                    if (c.path("system").asText().equals("reference-gp")
                            && c.path("flow").asText().equals("adt-notification")) {
                        adt.add(c);
                    }
                }));
        assertThat(adt)
                .extracting(c -> c.path("check").asText())
                .containsExactlyInAnyOrder(
                        "transport",
                        "acknowledgement",
                        "filed",
                        "timeliness",
                        "transport",
                        "acknowledgement",
                        "filed",
                        "timeliness");
        assertThat(adt)
                .allSatisfy(c ->
                        assertThat(c.path("verdict").asText()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
    }
}
