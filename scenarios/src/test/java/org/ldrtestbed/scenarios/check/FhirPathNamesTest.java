package org.ldrtestbed.scenarios.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code where} naming an element its type does not have is valid FHIRPath, and always empty at run time (the
 * assertion fails as "found 0 of 1 matching" with no word why): the check names it, at its line.
 */
class FhirPathNamesTest {

    private static final JourneyChecker CHECKER = new JourneyChecker();

    private static final String JOURNEY = String.join(
                    "\n",
                    "journey: names-fixture", // 1
                    "format: 1",
                    "title: A where that names elements",
                    "start: \"2026-03-02T09:00:00Z\"",
                    "subject: {label: patient, nhs-number: \"9990000018\"}", // 5
                    "steps:",
                    "  - id: gp-records",
                    "    title: The GP records an observation",
                    "    at: PT0M",
                    "    actor: {role: gp, organisation: SYNG09}", // 10
                    "    does:",
                    "      - write:",
                    "          resources:",
                    "            - label: patient",
                    "              resource:", // 15
                    "                resourceType: Patient",
                    "                identifier: [{system: https://fhir.nhs.uk/Id/nhs-number, value: \"{{patient.nhs-number}}\"}]",
                    "            - label: fall",
                    "              resource:",
                    "                resourceType: Observation", // 20
                    "                status: final",
                    "                code: {text: Fall}",
                    "                subject: {reference: \"{{patient}}\"}",
                    "                effectiveDateTime: \"{{now}}\"",
                    "  - id: gp-sees", // 25
                    "    title: The GP sees it",
                    "    at: PT5M",
                    "    actor: {role: gp, organisation: SYNG09}",
                    "    sees:",
                    "      - id: gp-reads-fall", // 30
                    "        title: the fall, by its id",
                    "        capabilities: [context]",
                    "        query: \"{{ref:fall}}\"",
                    "        where: \"%s\"",
                    "        expect: {count: 1}", // 35
                    "      - id: gp-searches-fall",
                    "        title: the fall, searched",
                    "        capabilities: [context]",
                    "        query: \"Observation?patient={{patient}}\"",
                    "        where: \"%s\"", // 40
                    "        expect: {count: 1}")
            + "\n";

    private static List<String> check(String byId, String searched) {
        return CHECKER.check(Path.of("my.journey.yaml"), JOURNEY.formatted(byId, searched)).stream()
                .map(Problem::toString)
                .toList();
    }

    @Test
    void elementsTheTypeHasPass() {
        assertThat(check(
                        "effective = @2026-03-02T09:00:00Z and status = 'final'",
                        "Observation.code.text = 'Fall' and (subject.exists() or meta.exists()) and value is Quantity"))
                .isEmpty();
    }

    @Test
    void theJsonNameOfAChoiceIsFoundWithTheNameFhirPathUses() {
        assertThat(check("effectiveDateTime = @2026-03-02T09:00:00Z", "status = 'final'"))
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith("my.journey.yaml:34:16: steps[1].sees[0].where: 'effectiveDateTime' is how JSON"
                                + " names Observation.effective; FHIRPath calls it 'effective'"));
    }

    @Test
    void anUnknownElementIsFoundWithTheClosestName() {
        assertThat(check("status = 'final'", "code.text = 'Fall' and stauts = 'final'"))
                .containsExactly("my.journey.yaml:40:16: steps[1].sees[1].where: Observation has no element 'stauts':"
                        + " as written it is always empty; did you mean 'status'?");
    }
}
