package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ContextConfiguration;

/**
 * Supplier mode over the MESH-like mailbox: a run binds SYNG09's GP system under test to receive discharge summaries
 * over {@code mesh} at mailbox SYNG09-MBX; the acute trust's summary waits in that inbox instead of being filed in the
 * shared record, and the GP system (client {@code gp-clinical-system}, organisation SYNG09) lists, downloads and
 * acknowledges it, which the run's exchanges keep. No other organisation's client reaches the mailbox.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class MeshMailboxIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INBOX = "/mesh/messageexchange/SYNG09-MBX/inbox";

    @LocalServerPort
    int port;

    @Test
    void theGpSystemPollsDownloadsAndAcknowledgesTheSummaryAndTheSharedRecordFilesNothing() throws Exception {
        String nhs = testbed().registerPatient();
        String run = "sut-mesh-" + UUID.randomUUID();
        ObjectNode gp = JSON.createObjectNode()
                .put("system", "gp-system")
                .put("flow", "discharge-summary")
                .put("organisation", "SYNG09")
                .put("direction", "RECEIVES")
                .put("transport", "mesh")
                .put("endpoint", "SYNG09-MBX");
        ObjectNode switches = JSON.createObjectNode();
        switches.putArray("disabledFlows");
        switches.putArray("rules");
        switches.putArray("nhsNumbers").add(nhs);
        switches.putArray("systemsUnderTest").add(gp);
        assertThat(http("PUT", "/testbed/runs/" + run, switches, admin()).statusCode())
                .isEqualTo(200);
        String documentId = UUID.randomUUID().toString();

        sendSummary(nhs, run, documentId);

        await().atMost(Duration.ofSeconds(30)).until(() -> stages(run).contains("DELIVERED"));
        JsonNode put = json(http("GET", "/testbed/runs/" + run + "/exchanges", null, admin()));
        assertThat(put).hasSize(1);
        assertThat(put.get(0).get("direction").asText()).isEqualTo("to-sut");
        assertThat(put.get(0).get("transport").asText()).isEqualTo("mesh");
        assertThat(put.get(0).get("endpoint").asText()).isEqualTo("SYNG09-MBX");
        assertThat(put.get(0).get("status").asInt()).isEqualTo(202);
        String id = put.get(0).get("location").asText();
        String gpSystem = tokens().forClient("gp-clinical-system", "gp-clinical-system-synthetic-secret");

        HttpResponse<String> inbox = http("GET", INBOX, null, gpSystem);
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(json(inbox).get("messages")).extracting(JsonNode::asText).contains(id);

        HttpResponse<String> download = http("GET", INBOX + "/" + id, null, gpSystem);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("mex-messageid")).contains(id);
        assertThat(download.headers().firstValue("mex-workflowid")).contains("TOC_FHIR_IP_DISCH");
        assertThat(download.headers().firstValue("mex-from")).contains("SYNAC-MBX");
        assertThat(download.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/fhir+json"));
        Bundle document = FHIR.newJsonParser().parseResource(Bundle.class, download.body());
        assertThat(document.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
        assertThat(download.body()).contains(documentId);

        // Another organisation's system, a professional of SYNG09 and no token at all are kept out.
        String acute = tokens().forClient("acute-integration", "acute-integration-synthetic-secret");
        assertThat(http("GET", INBOX, null, acute).statusCode()).isEqualTo(403);
        assertThat(http("GET", INBOX + "/" + id, null, acute).statusCode()).isEqualTo(403);
        assertThat(http("PUT", INBOX + "/" + id + "/status/acknowledged", null, acute)
                        .statusCode())
                .isEqualTo(403);
        assertThat(http("GET", INBOX, null, testbed().token("gp.ashdown")).statusCode())
                .isEqualTo(403);
        assertThat(http("GET", INBOX, null, null).statusCode()).isEqualTo(401);
        assertThat(http("GET", INBOX + "/20260101000000000_NOSUCH", null, gpSystem)
                        .statusCode())
                .isEqualTo(404);
        assertThat(http("PUT", INBOX + "/20260101000000000_NOSUCH/status/acknowledged", null, gpSystem)
                        .statusCode())
                .isEqualTo(404);

        HttpResponse<String> acknowledged = http("PUT", INBOX + "/" + id + "/status/acknowledged", null, gpSystem);

        assertThat(acknowledged.statusCode()).isEqualTo(200);
        assertThat(json(http("GET", INBOX, null, gpSystem)).get("messages"))
                .extracting(JsonNode::asText)
                .doesNotContain(id);
        assertThat(http("GET", INBOX + "/" + id, null, gpSystem).statusCode()).isEqualTo(410);
        JsonNode exchanges = json(http("GET", "/testbed/runs/" + run + "/exchanges", null, admin()));
        assertThat(exchanges).hasSize(2);
        JsonNode ack = exchanges.get(1);
        assertThat(ack.get("direction").asText()).isEqualTo("from-sut");
        assertThat(ack.get("transport").asText()).isEqualTo("mesh");
        assertThat(ack.get("system").asText()).isEqualTo("gp-system");
        assertThat(ack.get("request").asText()).isEqualTo("acknowledge " + id);
        assertThat(ack.get("status").asInt()).isEqualTo(200);
        assertThat(ack.get("nhsNumber").asText()).isEqualTo(nhs);
        assertThat(ack.get("messageId").asText())
                .isEqualTo(put.get(0).get("messageId").asText());
        assertThat(gpCopies(nhs)).isZero();
    }

    private int gpCopies(String nhs) {
        return testbed()
                .count("DocumentReference?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                        + "&custodian=Organization/SYNG09");
    }

    private List<String> stages(String run) throws Exception {
        List<String> stages = new ArrayList<>();
        json(http("GET", "/testbed/messages?journey=" + run, null, admin()))
                .forEach(e -> stages.add(e.get("stage").asText()));
        return stages;
    }

    private String admin() {
        return testbed().token("digitallead.okonjo");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
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
