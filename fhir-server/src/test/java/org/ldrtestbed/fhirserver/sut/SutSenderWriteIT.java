package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ContextConfiguration;

/**
 * A sending system under test's FHIR write inside the server: a run binds the acute trust's EPR as the sender of its
 * discharge summaries; the EPR's document, naming the run, is kept as the run's exchange with the answer it got and
 * goes on to the (simulated) GP practice as any summary does; one for another patient is refused and nothing of it
 * is filed or sent; a write naming no run is no exchange of the run. The same over the EPR's MESH outbox.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class SutSenderWriteIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Test
    void theEprsSummaryIsKeptAsItsExchangeAndReachesTheGp() throws Exception {
        String nhs = testbed().registerPatient();
        String run = "sut-send-" + UUID.randomUUID();
        register(run, nhs);

        HttpResponse<String> answer = postSummary(nhs, run);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        JsonNode exchanges = admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200);
        assertThat(exchanges).singleElement().satisfies(e -> {
            assertThat(e.get("direction").asText()).isEqualTo("from-sut");
            assertThat(e.get("transport").asText()).isEqualTo("fhir-rest");
            assertThat(e.get("system").asText()).isEqualTo("acute-epr");
            assertThat(e.get("flow").asText()).isEqualTo("discharge-summary");
            assertThat(e.get("nhsNumber").asText()).isEqualTo(nhs);
            assertThat(e.get("status").asInt()).isEqualTo(201);
            assertThat(e.get("location").asText()).startsWith("Bundle/");
            assertThat(e.get("endpoint").asText()).contains("by client acute-integration");
            assertThat(e.get("request").asText()).contains("\"document\"").contains(nhs);
        });
        // The flow carries it on as the run's: the simulated GP practice files it.
        await().atMost(Duration.ofSeconds(30)).until(() -> gpCopies(nhs) == 1);
        assertThat(admin("GET", "/testbed/messages?journey=" + run + "&stage=DELIVERED", null, 200))
                .hasSize(1);
    }

    @Test
    void anotherPatientsSummaryNamingTheRunIsRefusedAndNothingOfItIsFiled() throws Exception {
        String nhs = testbed().registerPatient();
        String other = testbed().registerPatient();
        String run = "sut-wrong-" + UUID.randomUUID();
        register(run, nhs);

        HttpResponse<String> answer = postSummary(other, run);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(answer.body()).contains("OperationOutcome").contains("not NHS number " + other);
        JsonNode exchanges = admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200);
        assertThat(exchanges).singleElement().satisfies(e -> {
            assertThat(e.get("status").asInt()).isEqualTo(422);
            assertThat(e.get("nhsNumber").asText()).isEqualTo(other);
            assertThat(e.get("response").asText()).contains("nothing filed");
        });
        assertThat(admin("GET", "/testbed/messages?journey=" + run, null, 200)).isEmpty();
        assertThat(gpCopies(other)).isZero();
    }

    @Test
    void aWriteNamingNoRunIsNoExchangeOfTheRun() throws Exception {
        String nhs = testbed().registerPatient();
        String run = "sut-none-" + UUID.randomUUID();
        register(run, nhs);

        HttpResponse<String> answer = postSummary(nhs, null);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200))
                .isEmpty();
    }

    @Test
    void theEprsSummaryPostedToItsMeshOutboxIsKeptAsAMeshExchangeAndReachesTheGp() throws Exception {
        String nhs = testbed().registerPatient();
        String run = "sut-mesh-" + UUID.randomUUID();
        register(run, nhs, "mesh");

        HttpResponse<String> direct = postSummary(nhs, run);
        HttpResponse<String> othersMailbox = postToOutbox("SYNG09-MBX", nhs, run);
        HttpResponse<String> sent = postToOutbox("SYNAC-MBX", nhs, run);

        // Written straight to the FHIR API, it is no message of a system bound over MESH.
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(201);
        assertThat(othersMailbox.statusCode()).as(othersMailbox.body()).isEqualTo(403);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        assertThat(JSON.readTree(sent.body()).get("messageID").asText()).isNotBlank();
        JsonNode exchanges = admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200);
        assertThat(exchanges).singleElement().satisfies(e -> {
            assertThat(e.get("transport").asText()).isEqualTo("mesh");
            assertThat(e.get("system").asText()).isEqualTo("acute-epr");
            assertThat(e.get("status").asInt()).isEqualTo(201);
            assertThat(e.get("endpoint").asText())
                    .startsWith("MESH outbox SYNAC-MBX to SYNG09-MBX")
                    .contains("by client acute-integration");
        });
        // The direct write and the outbox message both name the run: two copies at the GP.
        await().atMost(Duration.ofSeconds(30)).until(() -> gpCopies(nhs) == 2);
        assertThat(admin("GET", "/testbed/messages?journey=" + run + "&stage=DELIVERED", null, 200))
                .hasSize(2);
    }

    @Test
    void anotherPatientsSummaryThroughTheOutboxIsRefusedWithTheWritesReason() throws Exception {
        String nhs = testbed().registerPatient();
        String other = testbed().registerPatient();
        String run = "sut-mesh-wrong-" + UUID.randomUUID();
        register(run, nhs, "mesh");

        HttpResponse<String> sent = postToOutbox("SYNAC-MBX", other, run);

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(422);
        assertThat(sent.body()).contains("not NHS number " + other);
        assertThat(admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200))
                .singleElement()
                .satisfies(e -> assertThat(e.get("status").asInt()).isEqualTo(422));
        assertThat(gpCopies(other)).isZero();
    }

    private HttpResponse<String> postToOutbox(String mailbox, String nhs, String run) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/mesh/messageexchange/" + mailbox + "/outbox"))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + acuteToken())
                .header("Accept", "application/vnd.mesh.v2+json")
                .header("mex-to", "SYNG09-MBX")
                .header("mex-workflowid", "TOC_FHIR_IP_DISCH")
                .header("mex-localid", run)
                .POST(HttpRequest.BodyPublishers.ofString(summary(nhs)))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void register(String run, String nhs) throws Exception {
        register(run, nhs, "fhir-rest");
    }

    private void register(String run, String nhs, String transport) throws Exception {
        ObjectNode switches = JSON.createObjectNode();
        switches.putArray("disabledFlows");
        switches.putArray("rules");
        switches.putArray("nhsNumbers").add(nhs);
        switches.putArray("systemsUnderTest")
                .addObject()
                .put("system", "acute-epr")
                .put("flow", "discharge-summary")
                .put("organisation", "SYNAC")
                .put("direction", "SENDS")
                .put("transport", transport);
        admin("PUT", "/testbed/runs/" + run, switches, 200);
    }

    private HttpResponse<String> postSummary(String nhs, String run) throws Exception {
        String json = summary(nhs);
        String token = acuteToken();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Bundle"))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (run != null) {
            request.header(Headers.JOURNEY, run);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String summary(String nhs) throws Exception {
        return new ClassPathResource("fhir/samples/discharge-summary.json")
                .getContentAsString(StandardCharsets.UTF_8)
                .replace("${NHS}", nhs)
                .replace("${DOC_ID}", UUID.randomUUID().toString());
    }

    private String acuteToken() {
        return new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"))
                .forClient("acute-integration", "acute-integration-synthetic-secret");
    }

    private int gpCopies(String nhs) {
        return testbed()
                .count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                        + "&custodian=Organization/SYNG09");
    }

    private JsonNode admin(String method, String path, JsonNode body, int expectedStatus) throws Exception {
        return testbed().admin(method, path, body, expectedStatus);
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
