package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * Information governance end to end on a real PostgreSQL: break-glass is refused without the right, opens the record
 * with a reason, is audited with its purpose and alerted to the privacy officer; the audit trail answers "who saw my
 * record", exports a subject access request, and its verification finds a changed or removed event; a patient's
 * token never reaches another patient's record.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String REASON = "Unconscious at home, cannot consent: emergency treatment (synthetic)";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    private TestbedClient testbed;
    private String dotId;
    private String dotCondition;
    private String otherCondition;

    /** Dot (synthetic) and another patient, each with a problem the acute trust recorded. */
    @BeforeAll
    void record() {
        testbed = new TestbedClient(port);
        dotId = patient("9990000077");
        String otherId = patient(NhsNumber.syntheticFrom(System.nanoTime()));
        dotCondition = condition(dotId);
        otherCondition = condition(otherId);
    }

    @Test
    void breakGlassIsRefusedWithoutTheRightAndAuditedAndAlertedWithIt() throws Exception {
        // No relationship: the ambulance service has never been involved with Dot.
        HttpResponse<String> refused = get("/fhir/" + dotCondition, "paramedic.hale", null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(reasonOf(refused)).isEqualTo("no-relationship");

        assertThat(get("/fhir/" + dotCondition, "pharmacist.adeyemi", REASON).statusCode())
                .as("a role without emergency access cannot break the glass")
                .isEqualTo(403);
        assertThat(get("/fhir/" + dotCondition, "paramedic.hale", " ").statusCode())
                .as("break-glass needs a stated reason")
                .isEqualTo(400);

        HttpResponse<String> emergency = get("/fhir/" + dotCondition, "paramedic.hale", REASON);
        assertThat(emergency.statusCode()).isEqualTo(200);

        JsonNode alerts =
                json.readTree(get("/privacy/alerts", "digitallead.okonjo", null).body());
        assertThat(alerts.findValuesAsText("reason")).contains(REASON);
        JsonNode alert = first(alerts, "reason", REASON);
        assertThat(alert.get("username").asText()).isEqualTo("paramedic.hale");
        assertThat(alert.get("patient").asText()).isEqualTo("Patient/" + dotId);
        assertThat(alert.get("overridden").toString()).contains("no-relationship");
        // The acute trust's privacy officer sees alerts about the acute trust's staff only.
        JsonNode acuteAlerts = json.readTree(
                get("/privacy/alerts", "privacyofficer.reyes", null).body());
        assertThat(acuteAlerts.findValuesAsText("username")).doesNotContain("paramedic.hale");

        Bundle emergencies = bundle(get(
                "/fhir/AuditEvent?patient=Patient/" + dotId + "&altid=paramedic.hale&purpose=BTG",
                "privacyofficer.reyes",
                null));
        assertThat(emergencies.getEntry()).isNotEmpty();
        String event = FHIR.newJsonParser()
                .encodeResourceToString(emergencies.getEntryFirstRep().getResource());
        assertThat(event)
                .contains("IHE.BasicAudit.PatientRead")
                .contains(REASON)
                .contains("\"BTG\"");
    }

    @Test
    void aPatientSeesWhoSawTheirRecordAndNobodyElsesTrail() throws Exception {
        get("/fhir/" + dotCondition, "edconsultant.marsh", null);
        Bundle mine = bundle(
                get("/fhir/AuditEvent?patient=Patient/" + dotId + "&altid=edconsultant.marsh", "patient.dot", null));
        assertThat(mine.getEntry()).isNotEmpty();

        assertThat(get("/fhir/AuditEvent?altid=edconsultant.marsh", "pharmacist.adeyemi", null)
                        .statusCode())
                .as("professionals do not browse the audit trail")
                .isEqualTo(403);
        String otherPatient = patientOf(otherCondition);
        assertThat(get("/fhir/AuditEvent?patient=" + otherPatient, "patient.dot", null)
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aSubjectAccessExportHoldsTheRecordAndItsTrailAndNothingOfAnyoneElse() throws Exception {
        HttpResponse<String> response = get("/audit/subject-access-export", "patient.dot", null);
        assertThat(response.statusCode()).isEqualTo(200);
        Bundle export = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(export.getEntry())
                .extracting(e -> e.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue())
                .contains("Patient/" + dotId, dotCondition)
                .doesNotContain(otherCondition);
        assertThat(export.getEntry()).anyMatch(e -> e.getResource().fhirType().equals("AuditEvent"));
        assertThat(get("/audit/subject-access-export", "gp.ashdown", null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aPatientTokenNeverReachesAnotherPatientsRecord() throws Exception {
        HttpResponse<String> other = get("/fhir/" + otherCondition, "patient.dot", null);
        assertThat(other.statusCode())
                .as("another patient's entry is answered as if it did not exist")
                .isEqualTo(404);
        assertThat(other.body()).doesNotContain("pneumonia");
        Bundle everything = bundle(get("/fhir/Condition?_count=200", "patient.dot", null));
        assertThat(everything.getEntry())
                .filteredOn(e -> e.getResource() instanceof Condition)
                .allMatch(e -> ((Condition) e.getResource())
                        .getSubject()
                        .getReference()
                        .equals("Patient/" + dotId));
        assertThat(everything.hasTotal())
                .as("no total that would count others' entries")
                .isFalse();
        assertThat(get("/fhir/Condition?_summary=count", "patient.dot", null).statusCode())
                .isEqualTo(403);
    }

    @Test
    void verificationFindsAChangedAndARemovedEventAndPassesOnceRestored() throws Exception {
        get("/fhir/" + dotCondition, "edconsultant.marsh", null);
        assertThat(errors(verify())).isZero();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        long seq = jdbc.queryForObject("SELECT MIN(seq) FROM audit_trail", Long.class);
        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM audit_trail WHERE seq = ?", seq);
        String original = (String) row.get("event_json");

        jdbc.update("UPDATE audit_trail SET event_json = ? WHERE seq = ?", original.replace("R", "U"), seq);
        OperationOutcome changed = verify();
        assertThat(errors(changed)).isEqualTo(1);
        assertThat(changed.getIssue().get(1).getDiagnostics())
                .contains("event " + seq)
                .contains("CHANGED");

        jdbc.update("UPDATE audit_trail SET event_json = ? WHERE seq = ?", original, seq);
        Map<String, Object> next = jdbc.queryForMap("SELECT * FROM audit_trail WHERE seq = ?", seq + 1);
        jdbc.update("DELETE FROM audit_trail WHERE seq = ?", seq + 1);
        OperationOutcome removed = verify();
        assertThat(errors(removed)).isGreaterThanOrEqualTo(1);
        assertThat(removed.getIssue().get(1).getDiagnostics())
                .contains("event " + (seq + 1))
                .contains("REMOVED");

        String columns = String.join(", ", next.keySet());
        String marks = String.join(", ", java.util.Collections.nCopies(next.size(), "?"));
        jdbc.update(
                "INSERT INTO audit_trail (" + columns + ") VALUES (" + marks + ")",
                next.values().toArray());
        assertThat(errors(verify())).as("restored, the chain verifies again").isZero();
    }

    private OperationOutcome verify() throws Exception {
        HttpResponse<String> response = get("/fhir/AuditEvent/$verify", "privacyofficer.reyes", null);
        assertThat(response.statusCode()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
    }

    private static long errors(OperationOutcome outcome) {
        return outcome.getIssue().stream()
                .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .count();
    }

    private String patient(String nhsNumber) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        patient.addName().setFamily("Governance-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        return testbed.as("edconsultant.marsh")
                .create()
                .resource(patient)
                .execute()
                .getId()
                .getIdPart();
    }

    private String condition(String patientId) {
        Condition condition = new Condition();
        condition.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + patientId));
        condition.getCode().setText("Community-acquired pneumonia (synthetic)");
        return testbed.as("edconsultant.marsh")
                .create()
                .resource(condition)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private String patientOf(String conditionReference) {
        Condition condition = testbed.as("edconsultant.marsh")
                .read()
                .resource(Condition.class)
                .withUrl(conditionReference)
                .execute();
        return condition.getSubject().getReference();
    }

    private HttpResponse<String> get(String path, String username, String breakGlass) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token(username))
                .header("Accept", "application/fhir+json, application/json");
        if (breakGlass != null) {
            request.header(AccessInterceptor.BREAK_GLASS_HEADER, breakGlass);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String username) {
        return username.startsWith("patient.")
                ? new org.ldrtestbed.identity.contract.TokenClient(
                                URI.create("http://localhost:" + port + "/realms/ldr-testbed"))
                        .forUser("testbed-scenarios", username, TestbedClient.PASSWORD, "openid patient/*.cruds")
                : testbed.token(username);
    }

    private static Bundle bundle(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    private static String reasonOf(HttpResponse<String> response) {
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        return outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
    }

    private static JsonNode first(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (value.equals(node.path(field).asText())) {
                return node;
            }
        }
        throw new AssertionError("no alert with " + field + " " + value + " in " + array);
    }
}
