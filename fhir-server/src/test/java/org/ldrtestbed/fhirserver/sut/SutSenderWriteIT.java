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
 * is filed or sent; a write naming no run is no exchange of the run.
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

    private void register(String run, String nhs) throws Exception {
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
                .put("transport", "fhir-rest");
        admin("PUT", "/testbed/runs/" + run, switches, 200);
    }

    private HttpResponse<String> postSummary(String nhs, String run) throws Exception {
        String json = new ClassPathResource("fhir/samples/discharge-summary.json")
                .getContentAsString(StandardCharsets.UTF_8)
                .replace("${NHS}", nhs)
                .replace("${DOC_ID}", UUID.randomUUID().toString());
        String token = new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"))
                .forClient("acute-integration", "acute-integration-synthetic-secret");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Bundle"))
                .header("Content-Type", "application/fhir+json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (run != null) {
            request.header(Headers.JOURNEY, run);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int gpCopies(String nhs) {
        return testbed()
                .count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                        + "&custodian=Organization/SYNG09");
    }

    private JsonNode admin(String method, String path, JsonNode body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + testbed().token("digitallead.okonjo"))
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
                .isEqualTo(expectedStatus);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
