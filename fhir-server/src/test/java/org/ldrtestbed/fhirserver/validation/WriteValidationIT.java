package org.ldrtestbed.fhirserver.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Validation of writes per source, on a real server: the acute trust's integration engine is held to base R4
 * (reject), the GP clinical system is warned, every other source is not looked at (the default, off). Every
 * Observation carries a marker identifier, so "not stored" is a search that would find it.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestPropertySource(
        properties = {
            "testbed.fhir-server.validation.sources.acute-integration=reject",
            "testbed.fhir-server.validation.sources.gp-clinical-system=warn"
        })
class WriteValidationIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String MARKER_SYSTEM = "https://ldr-testbed.example/Id/write-validation";

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    private String patient;
    private String marker;

    @BeforeEach
    void aPatient() throws Exception {
        marker = UUID.randomUUID().toString();
        String nhs = NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits());
        HttpResponse<String> created = post("acute-integration", "/fhir/Patient", """
                {"resourceType": "Patient", "identifier": [{"system": "%s", "value": "%s"}],
                 "name": [{"family": "Test-Synthetic"}], "generalPractitioner": [{"reference": "Organization/SYNG09"}]}
                """.formatted(NhsNumber.SYSTEM, nhs));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        patient = created.headers()
                .firstValue("Location")
                .orElseThrow()
                .replaceFirst(".*/fhir/", "")
                .replaceFirst("/_history/.*", "");
    }

    @Test
    void anObservationWithoutStatusFromARejectingSourceIs422WithTheErrorAndNotStored() throws Exception {
        HttpResponse<String> refused = post("acute-integration", "/fhir/Observation", observation(false));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, refused.body());
        assertThat(outcome.getIssue())
                .anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        && i.getDiagnostics().contains("Observation.status"));
        assertThat(marked()).isZero();
    }

    /** The control: the same source's valid Observation is written and found, so "not stored" means something. */
    @Test
    void aValidObservationFromTheRejectingSourceIsWritten() throws Exception {
        HttpResponse<String> created = post("acute-integration", "/fhir/Observation", observation(true));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue(Headers.VALIDATION)).isEmpty();
        assertThat(marked()).isEqualTo(1);
    }

    @Test
    void theSameFromASourceNotValidatedIsWrittenWithoutAWord() throws Exception {
        HttpResponse<String> created = post("ambulance-epr", "/fhir/Observation", observation(false));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue(Headers.VALIDATION)).isEmpty();
        assertThat(marked()).isEqualTo(1);
    }

    @Test
    void theSameFromAWarnedSourceIsWrittenWithTheErrorInTheHeader() throws Exception {
        HttpResponse<String> created = post("gp-clinical-system", "/fhir/Observation", observation(false));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String warning = created.headers().firstValue(Headers.VALIDATION).orElseThrow();
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, warning);
        assertThat(outcome.getIssue())
                .anyMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.WARNING
                        && i.getDiagnostics().contains("Observation.status"));
        assertThat(marked()).isEqualTo(1);
    }

    private String observation(boolean withStatus) {
        return """
                {"resourceType": "Observation", %s"identifier": [{"system": "%s", "value": "%s"}],
                 "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4", "display": "Heart rate"}]},
                 "subject": {"reference": "%s"},
                 "valueQuantity": {"value": 72, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"}}
                """.formatted(withStatus ? "\"status\": \"final\", " : "", MARKER_SYSTEM, marker, patient);
    }

    /** How many Observations carry this test's marker, as a system client (who sees everything) finds them. */
    private int marked() throws Exception {
        HttpResponse<String> found = send(
                "acute-integration",
                HttpRequest.newBuilder(
                                URI.create(root() + "/fhir/Observation?identifier=" + MARKER_SYSTEM + "%7C" + marker))
                        .header("Cache-Control", "no-cache")
                        .GET());
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Bundle.class, found.body()).getEntry().stream()
                .filter(e -> e.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME)
                .toList()
                .size();
    }

    private HttpResponse<String> post(String client, String path, String json) throws Exception {
        return send(
                client,
                HttpRequest.newBuilder(URI.create(root() + path))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(String client, HttpRequest.Builder request) throws Exception {
        String token = new TokenClient(URI.create(root() + "/realms/ldr-testbed"))
                .forClient(client, client + "-synthetic-secret");
        return http.send(
                request.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String root() {
        return "http://localhost:" + port;
    }
}
