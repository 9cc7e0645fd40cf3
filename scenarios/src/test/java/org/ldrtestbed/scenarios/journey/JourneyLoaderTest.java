package org.ldrtestbed.scenarios.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.JourneyPeople;
import org.ldrtestbed.scenarios.journey.JourneyFormatException.Problem;

class JourneyLoaderTest {

    private static final String HEADER = """
            journey: sample
            format: 1
            title: Sample
            start: 2026-03-02T09:00:00Z
            subject: {label: patient, nhs-number: "9990000018"}
            steps:
            """;

    private final JourneyLoader loader = new JourneyLoader();

    @Test
    void loadsAValidJourney() {
        Journey journey = loader.load("sample.journey.yaml", HEADER + """
                  - id: gp
                    title: GP looks
                    at: -P2D
                    actor: {role: gp, organisation: SYNG09}
                    sees:
                      - id: gp-sees
                        title: something
                        capabilities: [a, e]
                        flows: [gp-summary, discharge-summary]
                        query: Condition?patient={{patient}}
                        where: "code.exists()"
                        expect: {min: 1}
                        wait: PT5S
                """);

        assertThat(journey.start()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
        Step step = journey.steps().getFirst();
        assertThat(step.at()).isEqualTo(Duration.ofDays(-2));
        assertThat(step.sees().getFirst().capabilities()).containsExactlyInAnyOrder("a", "e");
        assertThat(step.sees().getFirst().patience()).isEqualTo(Duration.ofSeconds(5));
        assertThat(step.sees().getFirst().expect().isMetBy(0)).isFalse();
        assertThat(step.sees().getFirst().expect().isMetBy(3)).isTrue();
    }

    @Test
    void aJourneyDeclaresItsOwnPeopleWhoFollowItsPatient() {
        Journey journey = loader.load("people.journey.yaml", HEADER.replace("steps:\n", """
                people:
                  patient: {user: patient.sample}
                  proxies: [{user: proxy.sample-daughter, relationship: daughter}]
                  professionals:
                    - {user: nurse.sample, role: district-nurse, organisation: SYNCM, practitioner: "900000000901"}
                    - {user: gp.sample, role: gp, organisation: SYNG09}
                steps:
                """) + """
                  - id: patient-looks
                    title: The patient looks at their own record
                    at: PT0M
                    actor: {role: patient, user: patient.sample}
                """);

        JourneyPeople people = journey.people();
        assertThat(people.patient()).isEqualTo(new JourneyPeople.Patient("patient.sample", "9990000018"));
        assertThat(people.proxies())
                .containsExactly(new JourneyPeople.Proxy("proxy.sample-daughter", "daughter", "9990000018"));
        assertThat(people.professionals())
                .containsExactly(
                        new JourneyPeople.Professional("nurse.sample", "district-nurse", "SYNCM", "900000000901"),
                        new JourneyPeople.Professional("gp.sample", "gp", "SYNG09", null));
        assertThat(loader.load("none.journey.yaml", HEADER + """
                          - id: gp
                            title: GP looks
                            at: PT0M
                            actor: {role: gp, organisation: SYNG09}
                        """).people().isEmpty())
                .isTrue();
    }

    @Test
    void aProfessionalWithoutAnOrganisationIsRefusedWithItsLine() {
        assertThatThrownBy(() -> loader.load("people.journey.yaml", HEADER.replace("steps:\n", """
                        people:
                          professionals:
                            - {user: nurse.sample, role: district-nurse}
                        steps:
                        """) + """
                          - id: gp
                            title: GP looks
                            at: PT0M
                            actor: {role: gp, organisation: SYNG09}
                        """))
                .isInstanceOf(JourneyFormatException.class)
                .hasMessageContaining("people.journey.yaml:8")
                .hasMessageContaining("organisation");
    }

    @Test
    void aCapabilityIsClaimedOnlyByAnAssertionThatDependsOnOneOfItsFlows() {
        assertThatThrownBy(() -> loader.load("claims.journey.yaml", HEADER + assertion("[e]", "", "{min: 1}")))
                .isInstanceOf(JourneyFormatException.class)
                .hasMessageContaining("claims.journey.yaml:14: steps[0].sees[0].capabilities")
                .hasMessageContaining("claims e but names no flow of e in flows (flows of e: discharge-summary)");
        assertThatThrownBy(() -> loader.load(
                        "untagged.journey.yaml",
                        HEADER + assertion("[context]", "flows: [gp-summary]\n        wait: PT5S", "{min: 1}")))
                .isInstanceOf(JourneyFormatException.class)
                .hasMessageContaining("depends on a flow of a (it fails when a is off) but is not tagged a");
        assertThatThrownBy(() ->
                        loader.load("flow.journey.yaml", HEADER + assertion("[a]", "flows: [no-such]", "{min: 1}")))
                .hasMessageContaining("steps[0].sees[0].flows: no flow 'no-such' in the flow catalogue");
        assertThatThrownBy(() -> loader.load(
                        "mixed.journey.yaml",
                        HEADER + assertion("[a, context]", "flows: [gp-summary]\n        wait: PT5S", "{min: 1}")))
                .hasMessageContaining("context is for what proves nothing else");
        assertThat(loader.load("context.journey.yaml", HEADER + assertion("[context]", "", "{min: 1}"))
                        .steps()
                        .getFirst()
                        .sees()
                        .getFirst()
                        .capabilities())
                .containsExactly("context");
    }

    @Test
    void aNegativeIsGovernanceEvidenceNeverACapabilitys() {
        for (String expect : new String[] {"{count: 0}", "{max: 0}", "{withheld: role}"}) {
            assertThatThrownBy(() -> loader.load(
                            "negative.journey.yaml",
                            HEADER + assertion("[c]", "flows: [patient-online-access]", expect)))
                    .as(expect)
                    .hasMessageContaining("a negative (nothing may be seen) cannot fail when c is off")
                    .hasMessageContaining("a negative is governance evidence: tag it governance");
        }
        // The flows a negative names are those it needs live to mean anything; they claim nothing.
        assertThat(loader.load(
                                "negative.journey.yaml",
                                HEADER + assertion("[governance]", "flows: [patient-online-access]", "{count: 0}"))
                        .steps()
                        .getFirst()
                        .sees()
                        .getFirst()
                        .expect()
                        .isNegative())
                .isTrue();
    }

    private static String assertion(String capabilities, String flows, String expect) {
        return """
                  - id: gp
                    title: GP looks
                    at: -P2D
                    actor: {role: gp, organisation: SYNG09}
                    sees:
                      - id: gp-sees
                        title: something
                        capabilities: %s
                        %s
                        query: Condition?patient={{patient}}
                        expect: %s
                """.formatted(capabilities, flows, expect);
    }

    @Test
    void misspeltFieldIsNamedWithItsLineAndSoIsTheFieldItLeftMissing() {
        JourneyFormatException error = (JourneyFormatException)
                org.assertj.core.api.Assertions.catchThrowable(() -> loader.load("bad.journey.yaml", HEADER + """
                          - id: gp
                            title: GP looks
                            at: PT0M
                            actr: {role: gp, organisation: SYNG09}
                        """));

        assertThat(error.problems())
                .extracting(Problem::toString)
                .containsExactly(
                        "bad.journey.yaml:7: steps[0].actor: required property 'actor' not found",
                        "bad.journey.yaml:10: steps[0].actr: property 'actr' is not defined in the schema and the"
                                + " schema does not allow additional properties");
    }

    @Test
    void missingRequiredFieldIsNamedAtItsParentsLine() {
        Problem problem = onlyProblem(HEADER + """
                  - id: gp
                    title: GP looks
                    at: PT0M
                    actor: {role: gp, organisation: SYNG09}
                    sees:
                      - id: gp-sees
                        title: something
                        capabilities: [a]
                        expect: {min: 1}
                """);

        assertThat(problem.field()).isEqualTo("steps[0].sees[0].query");
        assertThat(problem.line()).isEqualTo(12);
        assertThat(problem.message()).contains("query");
    }

    @Test
    void unknownCapabilityLetterIsRefused() {
        Problem problem = onlyProblem(HEADER + """
                  - id: gp
                    title: GP looks
                    at: PT0M
                    actor: {role: gp, organisation: SYNG09}
                    sees:
                      - id: gp-sees
                        title: something
                        capabilities: [k]
                        query: Condition
                        expect: {min: 1}
                """);

        assertThat(problem.field()).isEqualTo("steps[0].sees[0].capabilities[0]");
        assertThat(problem.line()).isEqualTo(14);
    }

    @Test
    void nhsNumberFailingModulus11IsRefused() {
        Problem problem = onlyProblem(HEADER.replace("9990000018", "9990000019") + """
                  - id: gp
                    title: GP looks
                    at: PT0M
                    actor: {role: gp, organisation: SYNG09}
                """);

        assertThat(problem.field()).isEqualTo("subject.nhs-number");
        assertThat(problem.line()).isEqualTo(5);
        assertThat(problem.message()).contains("Modulus 11");
    }

    @Test
    void duplicateStepIdsAreRefused() {
        String step = """
                  - id: gp
                    title: GP looks
                    at: PT0M
                    actor: {role: gp, organisation: SYNG09}
                """;
        Problem problem = onlyProblem(HEADER + step + step);

        assertThat(problem.field()).isEqualTo("steps[1].id");
        assertThat(problem.line()).isEqualTo(11);
    }

    @Test
    void malformedYamlIsReportedWithItsLine() {
        Problem problem = onlyProblem(HEADER + """
                  - id: gp
                    title: [unclosed
                """);

        assertThat(problem.field()).isEqualTo("(yaml)");
        assertThat(problem.line()).isGreaterThanOrEqualTo(8);
        assertThat(problem.message()).startsWith("not valid YAML");
    }

    @Test
    void badOffsetIsRefused() {
        Problem problem = onlyProblem(HEADER + """
                  - id: gp
                    title: GP looks
                    at: yesterday
                    actor: {role: gp, organisation: SYNG09}
                """);

        assertThat(problem.field()).isEqualTo("steps[0].at");
        assertThat(problem.line()).isEqualTo(9);
    }

    @Test
    void aJourneySaysWhatItDoesNotCoverAndWhyInFileOrder() {
        String steps = """
                  - id: gp
                    title: GP looks
                    at: PT0M
                    actor: {role: gp, organisation: SYNG09}
                """;
        Journey journey = loader.load(
                "sample.journey.yaml",
                HEADER.replace("steps:\n", "not-covered:\n  j: books nothing online\n  d: no referral\nsteps:\n")
                        + steps);

        assertThat(journey.notCovered())
                .containsExactly(
                        java.util.Map.entry("j", "books nothing online"), java.util.Map.entry("d", "no referral"));
        assertThat(loader.load("sample.journey.yaml", HEADER + steps).notCovered())
                .isEmpty();
        Problem problem = onlyProblem(HEADER.replace("steps:\n", "not-covered:\n  z: unknown\nsteps:\n") + steps);
        assertThat(problem.field()).startsWith("not-covered");
        assertThat(new JourneyCatalogue().find("dot").orElseThrow().notCovered())
                .containsKeys("d", "g", "h", "j");
    }

    private Problem onlyProblem(String text) {
        JourneyFormatException error = (JourneyFormatException)
                org.assertj.core.api.Assertions.catchThrowable(() -> loader.load("bad.journey.yaml", text));
        assertThat(error).as("the journey should have been refused").isNotNull();
        assertThat(error.problems()).as(error.getMessage()).hasSize(1);
        assertThat(error.getMessage()).startsWith("bad.journey.yaml:");
        return error.problems().getFirst();
    }

    @Test
    void severalProblemsAreAllReported() {
        assertThatThrownBy(() -> loader.load("bad.journey.yaml", HEADER + """
                          - id: gp
                            title: GP looks
                            at: PT0M
                            actr: {role: gp}
                            colour: blue
                        """))
                .isInstanceOfSatisfying(
                        JourneyFormatException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::field)
                                .contains("steps[0].actr", "steps[0].colour", "steps[0].actor"));
    }
}
