package org.ldrtestbed.fhirserver.flows;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.ServerSocket;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Nothing lost, nothing twice: the discharge-summary flow delivers through a WireMock proxy playing the GP side's
 * receiver, which answers 503, goes down, or refuses; the message log shows every attempt and exactly one
 * delivery. Also the admin API: the message log, the dead-letter queue and replay.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {PostgresTestbedInitializer.class, FlowFaultIT.Receiver.class})
@TestPropertySource(properties = {"testbed.routes.redelivery-delay=PT0.2S", "testbed.routes.max-redeliveries=6"})
class FlowFaultIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    /** Plays the receiver: a proxy to this server's /fhir that a test can make fail. */
    public static final class Receiver implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        static final int PORT = freePort();
        static final WireMockServer SERVER = new WireMockServer(options().port(PORT));

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            SERVER.start();
            org.springframework.test.context.support.TestPropertySourceUtils.addInlinedPropertiesToEnvironment(
                    context, "testbed.routes.recipient-base-url=http://localhost:" + PORT + "/fhir");
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void receiverProxiesToTheRecord() {
        if (!Receiver.SERVER.isRunning()) {
            Receiver.SERVER.start();
        }
        Receiver.SERVER.resetAll();
        Receiver.SERVER.stubFor(
                any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom("http://localhost:" + port)));
    }

    @AfterAll
    static void stopReceiver() {
        Receiver.SERVER.stop();
    }

    @Test
    void receiverAnswering503IsRetriedAndTheSummaryIsFiledOnce() throws Exception {
        String[] states = {Scenario.STARTED, "failed-1", "failed-2", "recovered"};
        for (int i = 0; i < 3; i++) {
            Receiver.SERVER.stubFor(post(urlEqualTo("/fhir"))
                    .atPriority(1)
                    .inScenario("outage")
                    .whenScenarioStateIs(states[i])
                    .willReturn(aResponse().withStatus(503))
                    .willSetStateTo(states[i + 1]));
        }
        String journey = "fault-503-" + UUID.randomUUID();
        String nhs = testbed().registerPatient();

        sendSummary(nhs, journey);

        awaitFiledOnce(nhs);
        List<String> stages = stages(journey);
        assertThat(stages).containsExactly("RECEIVED", "TRANSFORMED", "FAILED", "FAILED", "FAILED", "DELIVERED");
    }

    @Test
    void receiverDownIsRetriedUntilItIsBack() throws Exception {
        String journey = "fault-down-" + UUID.randomUUID();
        String nhs = testbed().registerPatient();
        Receiver.SERVER.stop();

        sendSummary(nhs, journey);
        await().atMost(Duration.ofSeconds(20)).until(() -> stages(journey).contains("FAILED"));
        assertThat(testbed().count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                .isZero();
        receiverProxiesToTheRecord();

        awaitFiledOnce(nhs);
        List<String> stages = stages(journey);
        assertThat(stages).contains("FAILED").doesNotContain("DEAD_LETTERED");
        assertThat(stages.stream().filter("DELIVERED"::equals)).hasSize(1);
    }

    @Test
    void refusedMessageIsDeadLetteredThenReplayedOnceLinkedToTheOriginal() throws Exception {
        Receiver.SERVER.stubFor(post(urlEqualTo("/fhir"))
                .atPriority(1)
                .willReturn(aResponse().withStatus(422).withBody("{\"resourceType\":\"OperationOutcome\"}")));
        String journey = "fault-refused-" + UUID.randomUUID();
        String nhs = testbed().registerPatient();

        sendSummary(nhs, journey);
        await().atMost(Duration.ofSeconds(20)).until(() -> stages(journey).contains("DEAD_LETTERED"));
        JsonNode dead = admin("GET", "/testbed/messages?journey=" + journey + "&stage=DEAD_LETTERED", 200);
        String original = dead.get(0).get("messageId").asText();
        assertThat(dead.get(0).get("detail").asText()).contains("HTTP 422");
        assertThat(dead.get(0).get("nhsNumber").asText()).isEqualTo(nhs);
        JsonNode letters = admin("GET", "/testbed/dead-letters", 200);
        assertThat(letters.findValuesAsText("messageId")).contains(original);

        // The receiver is fixed; the digital lead replays the message.
        receiverProxiesToTheRecord();
        JsonNode replay = admin("POST", "/testbed/dead-letters/" + original + "/replay", 200);

        awaitFiledOnce(nhs);
        String replayId = replay.get("messageId").asText();
        assertThat(replayId).isNotEqualTo(original);
        JsonNode delivered = admin("GET", "/testbed/messages?message-id=" + replayId + "&stage=DELIVERED", 200);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).get("replayOf").asText()).isEqualTo(original);
        // Once only: the dead letter has left the queue.
        admin("POST", "/testbed/dead-letters/" + original + "/replay", 404);
        assertThat(admin("GET", "/testbed/dead-letters", 200).findValuesAsText("messageId"))
                .doesNotContain(original);
    }

    @Test
    void flowAdministrationNeedsTheAdminRole() throws Exception {
        HttpResponse<String> asGp = http("GET", "/testbed/messages", testbed().token("gp.ashdown"));
        assertThat(asGp.statusCode()).isEqualTo(403);
        assertThat(asGp.body()).contains("OperationOutcome");

        JsonNode flows = admin("GET", "/testbed/flows", 200);
        assertThat(flows.findValuesAsText("code")).contains("discharge-summary");
        assertThat(admin("POST", "/testbed/flows/discharge-summary/disable", 200)
                        .get("enabled")
                        .asBoolean())
                .isFalse();
        assertThat(admin("POST", "/testbed/flows/discharge-summary/enable", 200)
                        .get("enabled")
                        .asBoolean())
                .isTrue();
        admin("POST", "/testbed/flows/no-such-flow/disable", 400);
    }

    private void awaitFiledOnce(String nhs) {
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        testbed().count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs) > 0);
        assertThat(testbed().count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                .isEqualTo(1);
        assertThat(testbed().count("Task?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                .isEqualTo(1);
    }

    private List<String> stages(String journey) throws Exception {
        List<String> stages = new ArrayList<>();
        admin("GET", "/testbed/messages?journey=" + journey, 200)
                .forEach(e -> stages.add(e.get("stage").asText()));
        return stages;
    }

    private JsonNode admin(String method, String path, int expectedStatus) throws Exception {
        HttpResponse<String> response = http(method, path, testbed().token("digitallead.okonjo"));
        assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> http(String method, String path, String token) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .header("Authorization", "Bearer " + token)
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private void sendSummary(String nhs, String journey) throws IOException {
        String json = new ClassPathResource("fhir/samples/discharge-summary.json")
                .getContentAsString(StandardCharsets.UTF_8)
                .replace("${NHS}", nhs)
                .replace("${DOC_ID}", UUID.randomUUID().toString());
        testbed()
                .as("dischargenurse.quinn", journey)
                .create()
                .resource(FHIR.newJsonParser().parseResource(Bundle.class, json))
                .execute();
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
