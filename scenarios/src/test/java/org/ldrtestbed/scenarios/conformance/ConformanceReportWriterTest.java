package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConformanceReportWriterTest {

    private static JsonSchema schema;
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = ConformanceReportWriter.class
                .getClassLoader()
                .getResourceAsStream(ConformanceReportWriter.SCHEMA_LOCATION)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    static ConformanceReport sample() {
        SystemsFile file = new SystemsLoader().find("dot-reference").orElseThrow();
        List<ConformanceCheck> checks = List.of(
                new ConformanceCheck(
                        "reference-gp",
                        "dot",
                        "e",
                        "discharge-summary",
                        "transport",
                        "discharge-nurse-discharges-dot",
                        ConformanceCheck.PASS,
                        "1 attempt(s): 201",
                        List.of()),
                new ConformanceCheck(
                        "reference-gp",
                        "dot",
                        "e",
                        "discharge-summary",
                        "filed",
                        "discharge-nurse-discharges-dot",
                        ConformanceCheck.FAIL,
                        "wrong patient: filed for NHS number 9990000085 <sent 9990000077>",
                        List.of(new FhirValidation.Issue("error", "Bundle.entry[1]", "a & b"))),
                new ConformanceCheck(
                        "reference-pas",
                        "dot",
                        "record-sharing",
                        "adt-notification",
                        "downstream",
                        "gp-visits-dot-at-home",
                        ConformanceCheck.BLOCKED,
                        "needs the admission",
                        List.of()),
                new ConformanceCheck(
                        "reference-pas",
                        "dot",
                        "record-sharing",
                        "adt-notification",
                        "transport",
                        null,
                        ConformanceCheck.NOT_TESTED,
                        "no step",
                        List.of()));
        return ConformanceReport.of(
                "conform-dot-reference-20261207-150000",
                file,
                file.systems(),
                "http://127.0.0.1:8080/fhir",
                Instant.parse("2026-12-07T15:00:00Z"),
                Duration.ofSeconds(42),
                List.of(new ConformanceReport.JourneyRun("dot", "dot-run", false, "dot-run/report.html")),
                checks);
    }

    @Test
    void verdictsRollUpFailFirstThenBlocked() {
        ConformanceReport report = sample();
        assertThat(report.verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(report.systems())
                .extracting(ConformanceReport.SystemReport::name, ConformanceReport.SystemReport::verdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("reference-gp", ConformanceCheck.FAIL),
                        org.assertj.core.groups.Tuple.tuple("reference-pas", ConformanceCheck.BLOCKED));
        assertThat(report.passed()).isFalse();
    }

    @Test
    void theJsonMatchesItsSchemaAndTheSchemaRefusesAnUnknownVerdict() throws Exception {
        JsonNode json = mapper.readTree(ConformanceReportWriter.json(sample()));
        assertThat(schema.validate(json)).isEmpty();

        ObjectNode broken = (ObjectNode) json.deepCopy();
        ((ObjectNode) broken.path("systems").get(0)).put("verdict", "MOSTLY");
        assertThat(schema.validate(broken)).isNotEmpty();
    }

    @Test
    void junitCountsFailuresAndSkipsAndHtmlEscapes() {
        String junit = ConformanceReportWriter.junit(sample());
        assertThat(junit)
                .contains("<testsuite name=\"reference-gp\" tests=\"2\" failures=\"1\" skipped=\"0\"")
                .contains("<testsuite name=\"reference-pas\" tests=\"2\" failures=\"0\" skipped=\"2\"")
                .contains("&lt;sent 9990000077&gt;");
        String html = ConformanceReportWriter.html(sample());
        assertThat(html).contains("a &amp; b").doesNotContain("<sent 9990000077>");
    }
}
