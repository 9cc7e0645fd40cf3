package org.ldrtestbed.scenarios.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A value that does not have its field's form is told what the form is, in the schema's words, not by a regex. */
class PatternMessageTest {

    private static final String JOURNEY = String.join(
                    "\n",
                    "journey: pattern-fixture", // 1
                    "format: 1",
                    "title: A time given as a date",
                    "start: \"2026-03-02T09:00:00Z\"",
                    "subject: {label: patient, nhs-number: \"9990000018\"}", // 5
                    "steps:",
                    "  - id: gp-records",
                    "    title: The GP records a problem",
                    "    at: %s",
                    "    actor: {role: gp, organisation: SYNG09}", // 10
                    "    does:",
                    "      - write:",
                    "          resources:",
                    "            - label: patient",
                    "              recorded-at: %s", // 15
                    "              resource:",
                    "                resourceType: Patient",
                    "                identifier: [{system: https://fhir.nhs.uk/Id/nhs-number, value: \"{{patient.nhs-number}}\"}]")
            + "\n";

    private static List<Problem> check(String at, String recordedAt) {
        return new JourneyChecker().check(Path.of("my.journey.yaml"), JOURNEY.formatted(at, recordedAt));
    }

    @Test
    void offsetsInTheirFormPass() {
        assertThat(check("PT0M", "-PT12H")).isEmpty();
    }

    @Test
    void aTimeWhereAnOffsetBelongsIsToldTheOffsetsForm() {
        assertThat(check("\"2026-03-02T09:00:00Z\"", "PT0M")).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(9);
            assertThat(p.message())
                    .isEqualTo("not of the form expected: ISO-8601 duration from the journey start, may be"
                            + " negative (e.g. -P14D, PT35M).");
        });
        assertThat(check("PT0M", "\"2026-03-01T21:00:00Z\"")).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(15);
            assertThat(p.field()).isEqualTo("steps[0].does[0].write.resources[0].recorded-at");
            assertThat(p.message()).doesNotContain("regex").contains("e.g. -P14D, PT35M");
        });
    }
}
