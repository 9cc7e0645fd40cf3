package org.ldrtestbed.fhirserver.input;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ContextConfiguration;

/**
 * The bad-input corpus ({@code r4/bad-input/cases.csv}: file, method, path, status, a fragment of the diagnostic),
 * sent to a real server as a GP: each is refused with its status and an OperationOutcome, and nothing of it is
 * written. Every body carries a marker identifier, so "nothing written" is a search that would find it.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class BadInputIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String MARKER_SYSTEM = "https://ldr-testbed.example/Id/bad-input";
    private static final int MB = 1024 * 1024;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    private String token;
    private String marker;

    @BeforeEach
    void asTheGp() {
        token = client().token("gp.ashdown");
        marker = UUID.randomUUID().toString();
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvFileSource(resources = "/r4/bad-input/cases.csv", numLinesToSkip = 1)
    void badInputIsRefusedWithAnOperationOutcomeAndNothingIsWritten(
            String file, String method, String path, int status, String diagnostic) throws Exception {
        String body = corpus(file);
        String contentType = file.endsWith(".xml") ? "application/fhir+xml" : "application/fhir+json";

        HttpResponse<String> response =
                send(method, fill(path), contentType, HttpRequest.BodyPublishers.ofString(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(diagnostics(response)).contains(diagnostic);
        assertNothingWritten();
    }

    /** The control: the marker search does find what a valid request writes, so its finding nothing means something. */
    @Test
    void validInputWithTheMarkerIsWrittenAndFound() throws Exception {
        HttpResponse<String> created = send(
                "POST",
                "/fhir/Patient",
                "application/fhir+json",
                HttpRequest.BodyPublishers.ofString(corpus("patient-valid.json")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(markedPatients()).isEqualTo(1);
    }

    @Test
    void inABatchOnlyTheBadEntryFails() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/fhir",
                "application/fhir+json",
                HttpRequest.BodyPublishers.ofString(corpus("batch-one-bad-entry.json")));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle answer = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(answer.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(answer.getEntry().get(1).getResponse().getStatus()).startsWith("422");
        assertThat(((OperationOutcome) answer.getEntry().get(1).getResponse().getOutcome())
                        .getIssueFirstRep()
                        .getDiagnostics())
                .contains("NHS number '9990000019' is not valid");
        assertThat(markedPatients()).isEqualTo(1);
    }

    /**
     * Over the 20 MB default. A client that waits for 100-continue (as curl does for large bodies) is refused before it
     * sends the body; one that sends at once still hears the 413, the server discarding what it sends.
     */
    @ParameterizedTest(name = "expect 100-continue: {0}")
    @ValueSource(booleans = {true, false})
    void oversizeBodyIs413(boolean expectContinue) throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/fhir/Observation",
                "application/fhir+json",
                HttpRequest.BodyPublishers.ofByteArray(oversizeObservation()),
                expectContinue);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(diagnostics(response)).contains("larger than this server accepts (20 MB");
        assertNothingWritten();
    }

    @Test
    void oversizeChunkedBodyIs413Too() throws Exception {
        byte[] body = oversizeObservation();
        // No length known up front: sent chunked.
        HttpResponse<String> response = send(
                "POST",
                "/fhir/Observation",
                "application/fhir+json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(diagnostics(response)).contains("larger than this server accepts");
        assertNothingWritten();
    }

    @Test
    void chunkedBodyWithinTheLimitIsServed() throws Exception {
        byte[] body = corpus("patient-valid.json").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(
                "POST",
                "/fhir/Patient",
                "application/fhir+json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                        new ByteArrayInputStream(Arrays.copyOfRange(body, 0, 10)),
                        new ByteArrayInputStream(Arrays.copyOfRange(body, 10, body.length)))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(markedPatients()).isEqualTo(1);
    }

    private byte[] oversizeObservation() {
        String head = """
                {"resourceType":"Observation","identifier":[{"system":"%s","value":"%s"}],"status":"final",\
                "code":{"text":"oversize"},"valueString":""".formatted(MARKER_SYSTEM, marker);
        byte[] padding = new byte[21 * MB];
        Arrays.fill(padding, (byte) 'x');
        byte[] start = (head + "\"").getBytes(StandardCharsets.UTF_8);
        byte[] end = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[start.length + padding.length + end.length];
        System.arraycopy(start, 0, body, 0, start.length);
        System.arraycopy(padding, 0, body, start.length, padding.length);
        System.arraycopy(end, 0, body, start.length + padding.length, end.length);
        return body;
    }

    private void assertNothingWritten() {
        assertThat(markedPatients()).as("Patients written").isZero();
        assertThat(client().count("Observation?identifier=" + MARKER_SYSTEM + "%7C" + marker))
                .as("Observations written")
                .isZero();
    }

    private int markedPatients() {
        return client().count("Patient?identifier=" + MARKER_SYSTEM + "%7C" + marker);
    }

    private String corpus(String file) throws Exception {
        try (InputStream in = new ClassPathResource("r4/bad-input/" + file).getInputStream()) {
            return fill(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private String fill(String text) {
        return text.replace("${MARKER}", marker)
                .replace("${NHS}", NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits()));
    }

    private HttpResponse<String> send(String method, String path, String contentType, HttpRequest.BodyPublisher body)
            throws Exception {
        return send(method, path, contentType, body, true);
    }

    private HttpResponse<String> send(
            String method, String path, String contentType, HttpRequest.BodyPublisher body, boolean expectContinue)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path.replace("|", "%7C")))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", contentType)
                        .header("Accept", "application/fhir+json")
                        .expectContinue(expectContinue)
                        .method(method, body)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String diagnostics(HttpResponse<String> response) {
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssue()).isNotEmpty();
        return String.join(
                " | ",
                outcome.getIssue().stream()
                        .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                        .toList());
    }

    private TestbedClient client() {
        return new TestbedClient(port);
    }
}
