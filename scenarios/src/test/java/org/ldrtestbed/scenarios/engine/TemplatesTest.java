package org.ldrtestbed.scenarios.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private final Bindings bindings =
            new Bindings("patient", "9990000018", "dot-20260112-080000-ab12", (kind, code) -> switch (kind) {
                case "org" -> "Organization/" + code;
                case "practitioner" -> "Practitioner/sds-" + code;
                default -> "Location/" + code;
            });
    private final Templates templates = new Templates(bindings);
    private final Templates.Scope scope = new Templates.Scope(
            Instant.parse("2026-01-12T08:00:00Z"),
            new Bindings.ActorEntries("Practitioner/sds-1", "Organization/SYNG09"),
            Map.of("local", "urn:uuid:abc"));

    @Test
    void fillsTimesReferencesAndTheSubject() {
        bindings.bind("patient", "Patient/42");
        bindings.bind("xray", "DiagnosticReport/7");

        assertThat(templates.render("{{now}}", scope)).isEqualTo("2026-01-12T08:00:00Z");
        assertThat(templates.render("{{now-P14D}}", scope)).isEqualTo("2025-12-29T08:00:00Z");
        assertThat(templates.render("{{now+PT90M}}", scope)).isEqualTo("2026-01-12T09:30:00Z");
        assertThat(templates.render("ge{{date:now-P7D}}", scope)).isEqualTo("ge2026-01-05");
        assertThat(templates.render("EVN|A01|{{hl7:now+PT150M}}", scope)).isEqualTo("EVN|A01|202601121030");
        assertThat(templates.render("MSG-{{run}}-1", scope)).isEqualTo("MSG-dot-20260112-080000-ab12-1");
        assertThat(templates.render("Condition?patient={{patient}}", scope)).isEqualTo("Condition?patient=Patient/42");
        assertThat(templates.render("{{ patient.nhs-number }}", scope)).isEqualTo("9990000018");
        assertThat(templates.render("{{ref:xray}} {{ref:local}}", scope)).isEqualTo("DiagnosticReport/7 urn:uuid:abc");
        assertThat(templates.render("{{org:SYNAC}} {{actor.practitioner}}", scope))
                .isEqualTo("Organization/SYNAC Practitioner/sds-1");
    }

    @Test
    void thePatientWrittenInTheSameTransactionIsReferencedByItsLocalId() {
        Templates.Scope sameWrite =
                new Templates.Scope(scope.now(), scope.actor(), Map.of("patient", "urn:uuid:patient-entry"));

        assertThat(templates.render("{{patient}}", sameWrite)).isEqualTo("urn:uuid:patient-entry");
    }

    @Test
    void fillsEveryStringOfAResourceAndLeavesOtherValues() throws Exception {
        bindings.bind("patient", "Patient/42");
        JsonNode resource = new ObjectMapper()
                .readTree(
                        "{\"subject\":{\"reference\":\"{{patient}}\"},\"valueInteger\":3,\"note\":[{\"text\":\"at {{now}}\"}]}");

        JsonNode rendered = templates.render(resource, scope);

        assertThat(rendered.toString())
                .isEqualTo("{\"subject\":{\"reference\":\"Patient/42\"},\"valueInteger\":3,"
                        + "\"note\":[{\"text\":\"at 2026-01-12T08:00:00Z\"}]}");
        assertThat(resource.at("/subject/reference").asText()).isEqualTo("{{patient}}");
    }

    @Test
    void unknownOrUnboundTemplatesAreErrorsNotBlanks() {
        assertThatThrownBy(() -> templates.render("{{patient}}", scope)).hasMessageContaining("before the Patient");
        assertThatThrownBy(() -> templates.render("{{ref:missing}}", scope)).hasMessageContaining("'missing'");
        assertThatThrownBy(() -> templates.render("{{tomorrow}}", scope)).hasMessageContaining("unknown template");
        assertThatThrownBy(() -> templates.render("{{now+3 days}}", scope)).hasMessageContaining("time template");
    }

    @Test
    void searchValuesAreEncoded() {
        assertThat(SeesChecker.encode("Condition?patient=Patient/1&code=http://snomed.info/sct|13645005"))
                .isEqualTo("Condition?patient=Patient%2F1&code=http%3A%2F%2Fsnomed.info%2Fsct%7C13645005");
        assertThat(SeesChecker.encode("Patient")).isEqualTo("Patient");
    }
}
