package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.flows.FlowTriggerInterceptor;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.scenarios.sut.Fault;
import org.ldrtestbed.scenarios.sut.ReferenceGpSystem;

/**
 * A delivery to a system under test killed mid-flight: the served testbed is killed (SIGKILL) while the reference GP
 * system holds its answer to a discharge summary ({@code late}: it filed the document, then waits), and started again
 * on the same store. The broker gives the message back; the run that bound the GP system ended with the testbed (runs
 * are kept in memory), so the summary is dead-lettered: the GP system has it once, and the shared record never files
 * it for the practice instead, although no attempt had been answered, or recorded, before the kill.
 */
class SutDeliveryCrashIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "synthetic-password";
    /** Longer than the whole test: the GP system answers the first delivery only once it is closed. */
    private static final Duration HELD = Duration.ofMinutes(10);

    private final List<ServedTestbed> running = new ArrayList<>();
    private ReferenceGpSystem gp;

    @AfterEach
    void stop() throws InterruptedException {
        for (ServedTestbed testbed : running) {
            testbed.kill();
        }
        if (gp != null) {
            gp.close();
        }
    }

    @Test
    void aSummaryHeldByTheGpSystemWhenTheTestbedIsKilledIsDeadLetteredAfterTheRestartNeverFiledInTheRecord()
            throws Exception {
        Path data = Files.createTempDirectory("ldr-testbed-sut-crash-");
        Path log = Path.of("target", "sut-crash", data.getFileName() + ".log");
        gp = new ReferenceGpSystem(0, Fault.LATE, HELD).start();
        ServedTestbed testbed = start(data, log);
        Sent held = sendHeldSummary(testbed.port());

        // Runs live in the server's memory: the run that bound the GP system ends with the killed testbed.
        testbed.kill();
        running.remove(testbed);
        int port = start(data, log).port();

        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> stages(port, held.run).contains("DEAD_LETTERED")
                        || stages(port, held.run).contains("DELIVERED"));
        assertThat(stages(port, held.run)).contains("DEAD_LETTERED").doesNotContain("DELIVERED");
        assertThat(detail(port, held.run, "DEAD_LETTERED")).contains("not filed in the shared record instead");
        assertThat(gpCopies(held.documentId)).as("filed by the GP system").isEqualTo(1);
        assertThat(recordCopies(port, held.nhs))
                .as("filed in the shared record")
                .isZero();
    }

    private record Sent(String run, String nhs, String documentId) {}

    /** Binds the GP system in a new run, sends it a summary, and kills nothing yet: returns once the GP has filed it. */
    private Sent sendHeldSummary(int port) throws Exception {
        String nhs = NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits());
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
        patient.addName().setFamily("Crash-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        client(port, "gp.ashdown", null).create().resource(patient).execute();
        String run = "sut-crash-" + UUID.randomUUID();
        ObjectNode switches = JSON.createObjectNode();
        switches.putArray("disabledFlows");
        switches.putArray("rules");
        switches.putArray("nhsNumbers").add(nhs);
        switches.putArray("systemsUnderTest")
                .addObject()
                .put("system", "reference-gp")
                .put("flow", "discharge-summary")
                .put("organisation", "SYNG09")
                .put("direction", "RECEIVES")
                .put("transport", "fhir-rest")
                .put("endpoint", gp.baseUrl());
        admin(port, "PUT", "/testbed/runs/" + run, switches, 200);
        String documentId = UUID.randomUUID().toString();
        String json = summary().replace("${NHS}", nhs).replace("${DOC_ID}", documentId);
        client(port, "dischargenurse.quinn", run)
                .create()
                .resource(FHIR.newJsonParser().parseResource(Bundle.class, json))
                .execute();
        // The GP system filed it and holds its answer: the delivery is in flight.
        await().atMost(Duration.ofSeconds(60)).until(() -> gpCopies(documentId) == 1);
        return new Sent(run, nhs, documentId);
    }

    private ServedTestbed start(Path data, Path log) {
        ServedTestbed testbed = ServedTestbed.start(data, Map.of(), log);
        running.add(testbed);
        return testbed;
    }

    private int gpCopies(String documentId) throws Exception {
        HttpResponse<String> found = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(gp.baseUrl() + "/Bundle?identifier="
                                        + URLEncoder.encode(
                                                "urn:ietf:rfc:3986|urn:uuid:" + documentId, StandardCharsets.UTF_8)))
                                .header("Accept", "application/fhir+json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(found.statusCode()).isEqualTo(200);
        return FHIR.newJsonParser()
                .parseResource(Bundle.class, found.body())
                .getEntry()
                .size();
    }

    private static int recordCopies(int port, String nhs) {
        Bundle found = client(port, "gp.ashdown", null)
                .search()
                .byUrl("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                        + "&custodian=Organization/SYNG09")
                .returnBundle(Bundle.class)
                .execute();
        return found.getEntry().size();
    }

    private static List<String> stages(int port, String run) throws Exception {
        List<String> stages = new ArrayList<>();
        admin(port, "GET", "/testbed/messages?journey=" + run, null, 200)
                .forEach(e -> stages.add(e.get("stage").asText()));
        return stages;
    }

    private static String detail(int port, String run, String stage) throws Exception {
        return admin(port, "GET", "/testbed/messages?journey=" + run + "&stage=" + stage, null, 200)
                .get(0)
                .get("detail")
                .asText();
    }

    private static JsonNode admin(int port, String method, String path, JsonNode body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token(port, "digitallead.okonjo"))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(expected);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private static String token(int port, String username) {
        return new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"))
                .forUser("testbed-scenarios", username, PASSWORD);
    }

    private static IGenericClient client(int port, String username, String journey) {
        IGenericClient client = FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(token(port, username)));
        if (journey != null) {
            client.registerInterceptor(new AdditionalRequestHeadersInterceptor(
                    Map.of(FlowTriggerInterceptor.JOURNEY_HEADER, List.of(journey))));
        }
        return client;
    }

    private static String summary() throws IOException {
        try (InputStream in = SutDeliveryCrashIT.class.getResourceAsStream("/fhir/samples/discharge-summary.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
