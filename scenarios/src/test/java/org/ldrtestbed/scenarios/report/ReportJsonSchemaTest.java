package org.ldrtestbed.scenarios.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.scenarios.report.JourneyResult.UnmetNeed;

class ReportJsonSchemaTest {

    private static JsonSchema schema;
    private final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = ReportWriter.class.getClassLoader().getResourceAsStream(ReportWriter.SCHEMA_LOCATION)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    @Test
    void aProducedReportHasItsFormatVersionAndMatchesTheSchema() throws Exception {
        JourneyResult result = SampleResults.dot(
                "oxfordshire-2017-07",
                List.of(new UnmetNeed(
                        "discharge-nurse-discharges-dot",
                        "gp-sees-discharge-summary",
                        "the discharge summary",
                        "e",
                        "discharge-summary",
                        "SYNCM",
                        "SYNCM01",
                        "absent",
                        null,
                        "all providers except mental health")));
        JsonNode report = mapper.readTree(ReportWriter.json(result));

        assertThat(report.path("format-version").asInt()).isEqualTo(ReportWriter.FORMAT_VERSION);
        assertThat(report.path("notCovered").path("d").asText())
                .isEqualTo("no one in Dot's story refers her to a clinic");
        assertThat(schema.validate(report)).isEmpty();
    }

    @Test
    void theSchemaRefusesAReportWithoutItsVersionOrWithAVerdictItDoesNotKnow() throws Exception {
        ObjectNode unversioned = (ObjectNode) mapper.readTree(ReportWriter.json(SampleResults.dot()));
        unversioned.remove("format-version");
        ObjectNode unknownVerdict = (ObjectNode) mapper.readTree(ReportWriter.json(SampleResults.dot()));
        ((ObjectNode) unknownVerdict.path("timeliness").get(0)).put("verdict", "EARLY");

        Set<ValidationMessage> missing = schema.validate(unversioned);
        Set<ValidationMessage> unknown = schema.validate(unknownVerdict);

        assertThat(missing).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains("format-version"));
        assertThat(unknown).isNotEmpty();
    }

    @Test
    void anAssertionCarriesTheCareRelationshipThatGrantedItOnlyWhenOneWasNamed() throws Exception {
        JsonNode report = mapper.readTree(ReportWriter.json(SampleResults.dot()));
        List<JsonNode> assertions = new java.util.ArrayList<>();
        report.path("steps").forEach(step -> step.path("assertions").forEach(assertions::add));

        assertThat(assertions)
                .filteredOn(a -> a.path("id").asText().equals("paramedic-sees-allergy"))
                .singleElement()
                .satisfies(a -> assertThat(a.path("grantedBy").get(0).asText())
                        .isEqualTo(SampleResults.GRANTED_BY_AMBULANCE_CALL));
        assertThat(assertions)
                .filteredOn(a -> !a.path("id").asText().equals("paramedic-sees-allergy"))
                .allSatisfy(a -> assertThat(a.has("grantedBy")).isFalse());
        JsonNode garbled = report.deepCopy();
        garbled.path("steps")
                .forEach(step -> step.path("assertions").forEach(a -> {
                    if (a.has("grantedBy")) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) a.get("grantedBy")).set(0, "the GP said so");
                    }
                }));
        assertThat(schema.validate(report)).isEmpty();
        assertThat(schema.validate(garbled)).isNotEmpty();
    }
}
