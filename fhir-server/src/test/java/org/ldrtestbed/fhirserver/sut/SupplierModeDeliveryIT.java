package org.ldrtestbed.fhirserver.sut;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.MllpClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Supplier mode inside the server: a run binds a GP system under test (a WireMock answering as one) to receive the
 * discharge summaries of SYNG09; the flow sends the document to it instead of filing it in the shared record, and
 * keeps every attempt as an exchange of the run. Also the MLLP side (a message whose MSH-10 names the run is kept
 * under it with its ACK) and the prompts API with who may use it.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestPropertySource(properties = {"testbed.routes.redelivery-delay=PT0.1S", "testbed.routes.max-redeliveries=2"})
class SupplierModeDeliveryIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final WireMockServer GP_SYSTEM = new WireMockServer(options().dynamicPort());

    @LocalServerPort
    int port;

    @Value("${testbed.routes.mllp-port}")
    int mllpPort;

    @BeforeAll
    static void startGpSystem() {
        GP_SYSTEM.start();
    }

    @AfterAll
    static void stopGpSystem() {
        GP_SYSTEM.stop();
    }

    @BeforeEach
    void resetGpSystem() {
        GP_SYSTEM.resetAll();
    }

    @Test
    void aBoundGpSystemReceivesTheSummaryOnceAndTheSharedRecordFilesNothing() throws Exception {
        GP_SYSTEM.stubFor(post(urlEqualTo("/gp/fhir/Bundle"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Location", GP_SYSTEM.baseUrl() + "/gp/fhir/Bundle/1/_history/1")
                        .withBody("{\"resourceType\":\"Bundle\",\"id\":\"1\"}")));
        String nhs = testbed().registerPatient();
        String run = "sut-ok-" + UUID.randomUUID();
        register(run, nhs, "/gp/fhir");
        String documentId = UUID.randomUUID().toString();

        sendSummary(nhs, run, documentId);

        await().atMost(Duration.ofSeconds(30)).until(() -> stages(run).contains("DELIVERED"));
        GP_SYSTEM.verify(
                1,
                postRequestedFor(urlEqualTo("/gp/fhir/Bundle"))
                        .withHeader("Content-Type", containing("application/fhir+json"))
                        .withHeader("Authorization", equalTo("Bearer gp-system-token"))
                        .withRequestBody(containing(documentId))
                        .withRequestBody(containing("\"type\":\"document\"")));
        assertThat(stages(run)).containsExactly("RECEIVED", "TRANSFORMED", "DELIVERED");
        assertThat(admin("GET", "/testbed/messages?journey=" + run + "&stage=DELIVERED", null, 200)
                        .get(0)
                        .get("detail")
                        .asText())
                .startsWith("sent to SUT gp-system (fhir-rest) " + GP_SYSTEM.baseUrl() + "/gp/fhir/Bundle: 201")
                .contains("Location " + GP_SYSTEM.baseUrl() + "/gp/fhir/Bundle/1/_history/1");
        JsonNode exchanges = admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200);
        assertThat(exchanges).hasSize(1);
        assertThat(exchanges.get(0).get("status").asInt()).isEqualTo(201);
        assertThat(exchanges.get(0).get("direction").asText()).isEqualTo("to-sut");
        assertThat(exchanges.get(0).get("system").asText()).isEqualTo("gp-system");
        assertThat(exchanges.get(0).get("nhsNumber").asText()).isEqualTo(nhs);
        assertThat(exchanges.get(0).get("request").asText()).contains(documentId);
        assertThat(gpCopies(nhs)).isZero();
    }

    @Test
    void aGpSystemAnswering503IsRetriedThenTheSummaryIsDeadLetteredWithEveryAttemptKept() throws Exception {
        GP_SYSTEM.stubFor(post(urlEqualTo("/down/fhir/Bundle"))
                .willReturn(aResponse().withStatus(503).withBody("down")));
        String nhs = testbed().registerPatient();
        String run = "sut-503-" + UUID.randomUUID();
        register(run, nhs, "/down/fhir");

        sendSummary(nhs, run, UUID.randomUUID().toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> stages(run).contains("DEAD_LETTERED"));
        // One attempt and two retries (max-redeliveries=2), each kept.
        assertThat(stages(run))
                .containsExactly("RECEIVED", "TRANSFORMED", "FAILED", "FAILED", "FAILED", "DEAD_LETTERED");
        GP_SYSTEM.verify(3, postRequestedFor(urlEqualTo("/down/fhir/Bundle")));
        JsonNode exchanges = admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200);
        List<Integer> statuses = new ArrayList<>();
        exchanges.forEach(e -> statuses.add(e.get("status").asInt()));
        assertThat(statuses).containsExactly(503, 503, 503);
        assertThat(gpCopies(nhs)).isZero();
    }

    @Test
    void theSameSummaryOutsideTheRunIsFiledInTheSharedRecordAsEver() throws Exception {
        String nhs = testbed().registerPatient();
        String run = "sut-other-" + UUID.randomUUID();
        register(run, nhs, "/gp/fhir");

        // Not sent in the run that binds the GP system: the simulated GP practice files it.
        sendSummary(nhs, null, UUID.randomUUID().toString());

        await().atMost(Duration.ofSeconds(30)).until(() -> gpCopies(nhs) == 1);
        GP_SYSTEM.verify(0, postRequestedFor(urlEqualTo("/gp/fhir/Bundle")));
        assertThat(admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200))
                .isEmpty();
    }

    @Test
    void aRunIsRefusedABindingTheFlowsCannotServe() throws Exception {
        ObjectNode eol = runSwitches("9990000077", binding("eol-pointer", "fhir-rest", GP_SYSTEM.baseUrl()));
        ObjectNode mllp = runSwitches("9990000077", binding("discharge-summary", "mllp", "localhost:2575"));

        assertThat(admin("PUT", "/testbed/runs/refused-" + UUID.randomUUID(), eol, 400)
                        .get("error")
                        .asText())
                .contains("eol-pointer")
                .contains("cannot deliver to a system under test");
        assertThat(admin("PUT", "/testbed/runs/refused-" + UUID.randomUUID(), mllp, 400)
                        .get("error")
                        .asText())
                .contains("over mllp");
    }

    @Test
    void anMllpMessageWhoseIdNamesTheRunIsKeptUnderItWithItsAck() throws Exception {
        String nhs = testbed().registerPatient();
        String run = "sut-mllp-" + UUID.randomUUID();
        ObjectNode switches = runSwitches(nhs);
        ObjectNode pas = ((ArrayNode) switches.get("systemsUnderTest")).addObject();
        pas.put("system", "acute-pas")
                .put("flow", "adt-notification")
                .put("organisation", "SYNAC")
                .put("direction", "SENDS")
                .put("transport", "mllp");
        admin("PUT", "/testbed/runs/" + run, switches, 200);
        String visit = "V" + UUID.randomUUID().toString().substring(0, 8);
        String admission = new ClassPathResource("hl7v2/samples/adt-a01.hl7")
                .getContentAsString(StandardCharsets.UTF_8)
                .replace("9990000018", nhs)
                .replace("V1001", visit)
                .replace("MSG-A01-1", run + "-admit");

        // The engine follows the run's exchanges with a long poll, asked before the system sends.
        java.util.concurrent.CompletableFuture<HttpResponse<String>> following = HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + port + "/testbed/runs/" + run + "/exchanges?wait=PT25S"))
                                .header("Authorization", "Bearer " + testbed().token("digitallead.okonjo"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        String ack = new MllpClient(URI.create("mllp://localhost:" + mllpPort)).send(admission);

        assertThat(MllpClient.acknowledgementCode(ack)).isEqualTo("AA");
        HttpResponse<String> followed = following.get(40, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(followed.statusCode()).isEqualTo(200);
        JsonNode exchanges = JSON.readTree(followed.body());
        assertThat(exchanges).hasSize(1);
        JsonNode kept = exchanges.get(0);
        assertThat(kept.get("direction").asText()).isEqualTo("from-sut");
        assertThat(kept.get("transport").asText()).isEqualTo("mllp");
        assertThat(kept.get("endpoint").asText()).matches(".*:\\d+");
        assertThat(kept.get("system").asText()).isEqualTo("acute-pas");
        assertThat(kept.get("flow").asText()).isEqualTo("adt-notification");
        assertThat(kept.get("nhsNumber").asText()).isEqualTo(nhs);
        assertThat(kept.get("request").asText()).contains(run + "-admit");
        assertThat(kept.get("response").asText()).isEqualTo(ack);
    }

    @Test
    void promptsArePutListedServedToTheirSystemAndGoneWithTheRun() throws Exception {
        String run = "sut-prompts-" + UUID.randomUUID();
        admin("PUT", "/testbed/runs/" + run, runSwitches("9990000077"), 200);
        ObjectNode prompt = JSON.createObjectNode()
                .put("system", "gp-system-" + run)
                .put("organisation", "SYNG09")
                .put("flow", "adt-notification")
                .put("text", "Send the admission of Dot now")
                .put("at", "2026-03-02T10:00:00Z")
                .put("expires", "2099-01-01T00:00:00Z");
        prompt.putObject("facts").put("nhs-number", "9990000077");
        prompt.put("example", "MSH|^~\\&|PAS|SYNAC|...");

        JsonNode put = admin("PUT", "/testbed/runs/" + run + "/prompts/admit", prompt, 200);
        assertThat(put.get("run").asText()).isEqualTo(run);
        assertThat(put.get("step").asText()).isEqualTo("admit");
        assertThat(admin("GET", "/testbed/runs/" + run + "/prompts", null, 200))
                .singleElement()
                .satisfies(p ->
                        assertThat(p.get("facts").get("nhs-number").asText()).isEqualTo("9990000077"));

        // The supplier's own system reads what is asked of it with its client's token; others may not.
        String systemToken = tokens().forClient("gp-clinical-system", "gp-clinical-system-synthetic-secret");
        HttpResponse<String> asSystem = http("GET", "/testbed/prompts?system=gp-system-" + run, null, systemToken);
        assertThat(asSystem.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(asSystem.body())).singleElement().satisfies(p -> {
            assertThat(p.get("text").asText()).isEqualTo("Send the admission of Dot now");
            // What the testbed would have sent stays with the testbed: the facts say what to send.
            assertThat(p.path("example").isNull() || p.path("example").isMissingNode())
                    .isTrue();
        });
        // Another organisation's system does not see what is asked of SYNG09's (its patient's details included).
        String otherSystem = tokens().forClient("acute-integration", "acute-integration-synthetic-secret");
        HttpResponse<String> asOther = http("GET", "/testbed/prompts?system=gp-system-" + run, null, otherSystem);
        assertThat(asOther.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(asOther.body())).isEmpty();
        assertThat(http("GET", "/testbed/prompts?system=gp-system-" + run, null, null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(http(
                                "GET",
                                "/testbed/prompts?system=gp-system-" + run,
                                null,
                                testbed().token("gp.ashdown"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(http("PUT", "/testbed/runs/" + run + "/prompts/admit", prompt, systemToken)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http("GET", "/testbed/runs/" + run + "/prompts", null, systemToken)
                        .statusCode())
                .isEqualTo(403);

        admin("DELETE", "/testbed/runs/" + run + "/prompts/admit", null, 204);
        admin("DELETE", "/testbed/runs/" + run + "/prompts/admit", null, 404);
        assertThat(admin("GET", "/testbed/runs/" + run + "/prompts", null, 200)).isEmpty();

        admin("PUT", "/testbed/runs/" + run + "/prompts/discharge", prompt, 200);
        admin("DELETE", "/testbed/runs/" + run, null, 204);
        assertThat(admin("GET", "/testbed/prompts?system=gp-system-" + run, null, 200))
                .isEmpty();
        admin("PUT", "/testbed/runs/" + run + "/prompts/discharge", prompt, 404);
        admin("GET", "/testbed/runs/" + run + "/prompts", null, 404);
    }

    private void register(String run, String nhs, String path) throws Exception {
        ObjectNode gp = binding("discharge-summary", "fhir-rest", GP_SYSTEM.baseUrl() + path);
        gp.put("authorization", "Bearer gp-system-token");
        JsonNode registered = admin("PUT", "/testbed/runs/" + run, runSwitches(nhs, gp), 200);
        // The credential the testbed presents to the system is kept, never shown back.
        assertThat(registered.toString()).doesNotContain("gp-system-token");
        assertThat(admin("GET", "/testbed/runs/" + run, null, 200).toString()).doesNotContain("gp-system-token");
    }

    private static ObjectNode binding(String flow, String transport, String endpoint) {
        return JSON.createObjectNode()
                .put("system", "gp-system")
                .put("flow", flow)
                .put("organisation", "SYNG09")
                .put("direction", "RECEIVES")
                .put("transport", transport)
                .put("endpoint", endpoint);
    }

    private static ObjectNode runSwitches(String nhs, ObjectNode... systems) {
        ObjectNode switches = JSON.createObjectNode();
        switches.putArray("disabledFlows");
        switches.putArray("rules");
        switches.putArray("nhsNumbers").add(nhs);
        ArrayNode bound = switches.putArray("systemsUnderTest");
        for (ObjectNode system : systems) {
            bound.add(system);
        }
        return switches;
    }

    private int gpCopies(String nhs) {
        return testbed()
                .count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                        + "&custodian=Organization/SYNG09");
    }

    private List<String> stages(String run) throws Exception {
        List<String> stages = new ArrayList<>();
        admin("GET", "/testbed/messages?journey=" + run, null, 200)
                .forEach(e -> stages.add(e.get("stage").asText()));
        return stages;
    }

    private JsonNode admin(String method, String path, JsonNode body, int expectedStatus) throws Exception {
        HttpResponse<String> response = http(method, path, body, testbed().token("digitallead.okonjo"));
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(expectedStatus);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private HttpResponse<String> http(String method, String path, JsonNode body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void sendSummary(String nhs, String run, String documentId) throws Exception {
        String json = new ClassPathResource("fhir/samples/discharge-summary.json")
                .getContentAsString(StandardCharsets.UTF_8)
                .replace("${NHS}", nhs)
                .replace("${DOC_ID}", documentId);
        testbed()
                .as("dischargenurse.quinn", run)
                .create()
                .resource(FHIR.newJsonParser().parseResource(Bundle.class, json))
                .execute();
    }

    private TokenClient tokens() {
        return new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"));
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
