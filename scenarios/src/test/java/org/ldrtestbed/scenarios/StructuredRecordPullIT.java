package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * The GP summary pulled from the reference GP system ({@code gp-summary} over {@code gpc-structured-record}) on a real
 * testbed: the practice's system holds the step's medicines and allergy, the testbed prompts, pulls, validates and
 * files them as the practice, and the district nurse then sees them, published by the flow as ever. Each fault of the
 * GP system fails the check it breaks, and what the nurse needed of it is BLOCKED.
 */
@ExtendWith(SharedTestbed.class)
class StructuredRecordPullIT {

    private static final Path FIXTURE = Path.of("src/test/resources/engine-fixtures/gp-pull.journey.yaml");
    private static final List<String> NURSE_SEES =
            List.of("nurse-sees-amoxicillin-allergy", "nurse-sees-repeat-inhaler");

    record Pulled(JourneyResult journey, List<ConformanceCheck> checks) {
        List<ConformanceCheck> of(String check) {
            return checks.stream().filter(c -> c.check().equals(check)).toList();
        }

        JourneyResult.AssertionResult assertion(String id) {
            return journey.assertions()
                    .filter(a -> a.id().equals(id))
                    .findFirst()
                    .orElseThrow();
        }

        JourneyResult.ActionResult pull() {
            return journey.steps().stream()
                    .filter(s -> s.id().equals("gp-records-summary"))
                    .flatMap(s -> s.actions().stream())
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void theTestbedPullsWhatTheGpSystemHoldsFilesItAsThePracticeAndTheNurseSeesIt(EmbeddedTestbed testbed)
            throws Exception {
        Pulled run = conform(testbed, "none");

        assertThat(run.checks())
                .extracting(ConformanceCheck::check)
                .contains("transport", "content", "filed", "timeliness", "downstream");
        assertThat(run.checks())
                .allSatisfy(c -> assertThat(c.verdict()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
        // The engine wrote the registration; the medicines and the allergy came from the GP system.
        assertThat(run.pull().verdict()).isEqualTo(Verdict.PASS);
        assertThat(run.pull().detail()).contains("wrote Patient/", "pulled from reference-gp");
        // Published by gp-summary as the practice's own writes are, and the labels filled for the nurse's checks.
        NURSE_SEES.forEach(id -> assertThat(run.assertion(id).verdict())
                .as(id + ": " + run.assertion(id).detail())
                .isEqualTo(Verdict.PASS));
        assertThat(run.of("downstream")).hasSize(2);
        assertThat(run.journey().passed()).isTrue();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("wrong-patient", "content", "wrong patient"),
                Arguments.of("invalid", "content", "not valid FHIR R4"),
                Arguments.of("5xx", "transport", "answered 503"),
                Arguments.of("silence", "transport", "no answer"));
    }

    @ParameterizedTest(name = "gp {0}: {1} fails, the nurse's checks are blocked")
    @MethodSource("faults")
    void aFaultyGpSystemFailsThePullAndBlocksWhatNeededIt(
            String fault, String check, String why, EmbeddedTestbed testbed) throws Exception {
        Pulled run = conform(testbed, fault);

        ConformanceCheck failed = run.of(check).getFirst();
        assertThat(failed.verdict()).as(failed.toString()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(failed.reason()).contains(why);
        assertThat(run.of("filed"))
                .singleElement()
                .satisfies(c -> assertThat(c.verdict()).isEqualTo(ConformanceCheck.BLOCKED));
        assertThat(run.pull().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(run.pull().detail()).contains(why);
        NURSE_SEES.forEach(id -> assertThat(run.assertion(id).verdict()).as(id).isEqualTo(Verdict.BLOCKED));
        assertThat(run.of("downstream"))
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.verdict()).isEqualTo(ConformanceCheck.BLOCKED));
    }

    @Test
    void aLateAnswerIsFiledButFailsTheTimeliness(EmbeddedTestbed testbed) throws Exception {
        Pulled run = conform(testbed, "late");

        assertThat(run.of("timeliness"))
                .anySatisfy(c -> assertThat(c.verdict() + " " + c.reason())
                        .startsWith("FAIL")
                        .contains("later than"));
        assertThat(run.of("content"))
                .singleElement()
                .satisfies(c -> assertThat(c.verdict()).isEqualTo(ConformanceCheck.PASS));
        NURSE_SEES.forEach(id -> assertThat(run.assertion(id).verdict()).as(id).isEqualTo(Verdict.PASS));
    }

    private static Pulled conform(EmbeddedTestbed testbed, String fault) throws Exception {
        SystemsFile file = new SystemsLoader().load("fixture.systems.yaml", """
                systems-file: fixture-pull
                format: 1
                title: The fixture's GP system, pulled from
                systems:
                  - name: reference-gp
                    organisation: SYNG09
                    sends: [{flow: gp-summary, transport: gpc-structured-record}]
                    reference: {role: gp-practice, faulty: %s}
                """.formatted(fault));
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
                    .run(new JourneyLoader().load(FIXTURE));
            new ConsoleReport().print(result, System.out);
            session.checks().forEach(System.out::println);
            return new Pulled(result, session.checks());
        }
    }
}
