package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.RealKeycloak;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Supplier mode's own endpoints attacked by every kind of caller: anonymous, a patient, a professional, another
 * organisation's system client, the right system client (SYNG09's) and the testbed administrator, each against a
 * run's exchanges and prompts, the open prompts of a system, a MESH mailbox and the conformance sessions. Only the
 * callers each endpoint is for get anything; every refused write leaves what is stored as it was; bad input is 400
 * (or 404 for a run that is not registered) and stores nothing. What {@code SupplierModeDeliveryIT}, {@code
 * MeshMailboxIT} and {@code ConformanceSessionIT} already show of the right callers is not repeated.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupplierEndpointsAttackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "synthetic-password";
    private static final String ANONYMOUS = "anonymous";
    private static final String PATIENT = "patient.dot";
    private static final String PROFESSIONAL = "gp.ashdown";
    private static final String OTHER_SYSTEM = "client:acute-integration"; // SYNAC
    private static final String RIGHT_SYSTEM = "client:gp-clinical-system"; // SYNG09, the prompts' organisation
    private static final String ADMIN = "digitallead.okonjo";
    private static final List<String> CALLERS =
            List.of(ANONYMOUS, PATIENT, PROFESSIONAL, OTHER_SYSTEM, RIGHT_SYSTEM, ADMIN);
    private static final String MAILBOX = "/mesh/messageexchange/SYNG09-MBX";

    @LocalServerPort
    int port;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final RealmDefinition realm = RealmFiles.load("classpath:" + RealKeycloak.REALM_RESOURCE);
    private final Map<String, String> tokens = new HashMap<>();
    private final String run = "attack-" + UUID.randomUUID();
    private final String system = "gp-system-" + run;
    private final String session = "conform-attack-" + UUID.randomUUID();

    @BeforeAll
    void aRunWithAPromptAndAKeptSession() throws Exception {
        ObjectNode switches = JSON.createObjectNode();
        switches.putArray("disabledFlows");
        switches.putArray("rules");
        switches.putArray("nhsNumbers").add("9990000077");
        switches.putArray("systemsUnderTest");
        expect(send(ADMIN, "PUT", "/testbed/runs/" + run, switches.toString()), 200);
        expect(
                send(
                        ADMIN,
                        "PUT",
                        "/testbed/runs/" + run + "/prompts/admit",
                        prompt(null).toString()),
                200);
        expect(send(ADMIN, "PUT", "/testbed/conformance/" + session, report(session, "PASS")), 201);
    }

    /** Who gets what of each read: anonymous 401, callers it is not for 403, the right ones 200. */
    @Test
    void eachReadAnswersOnlyTheCallersItIsFor() throws Exception {
        Map<String, Map<String, Integer>> reads = new LinkedHashMap<>();
        reads.put("/testbed/runs/" + run + "/exchanges", only(ADMIN));
        reads.put("/testbed/runs/" + run + "/exchanges?after=0&wait=PT0S", only(ADMIN));
        reads.put("/testbed/runs/" + run + "/prompts", only(ADMIN));
        reads.put("/testbed/prompts?system=" + system, only(ADMIN, OTHER_SYSTEM, RIGHT_SYSTEM));
        reads.put(MAILBOX + "/inbox", only(RIGHT_SYSTEM));
        reads.put(MAILBOX + "/inbox/no-such-message", Map.of(RIGHT_SYSTEM, 404));
        reads.put("/testbed/conformance", only(ADMIN));
        reads.put("/testbed/conformance/" + session, only(ADMIN));

        SoftAssertions soft = new SoftAssertions();
        for (Map.Entry<String, Map<String, Integer>> read : reads.entrySet()) {
            for (String caller : CALLERS) {
                HttpResponse<String> answer = send(caller, "GET", read.getKey(), null);
                soft.assertThat(answer.statusCode())
                        .as("GET %s as %s: %s", read.getKey(), caller, answer.body())
                        .isEqualTo(expected(read.getValue(), caller));
                if (answer.statusCode() / 100 != 2) {
                    soft.assertThat(answer.body())
                            .as("a refusal of GET %s to %s tells nothing of the run", read.getKey(), caller)
                            .doesNotContain("Send the admission")
                            .doesNotContain("9990000077");
                }
            }
        }
        soft.assertAll();
    }

    @Test
    void anotherOrganisationsSystemIsToldNothingOfTheRightSystemsPrompts() throws Exception {
        JsonNode other = JSON.readTree(send(OTHER_SYSTEM, "GET", "/testbed/prompts?system=" + system, null)
                .body());
        JsonNode right = JSON.readTree(send(RIGHT_SYSTEM, "GET", "/testbed/prompts?system=" + system, null)
                .body());
        JsonNode admin = JSON.readTree(
                send(ADMIN, "GET", "/testbed/prompts?system=" + system, null).body());

        assertThat(other).isEmpty();
        assertThat(right).singleElement().satisfies(p -> {
            assertThat(p.get("facts").get("nhs-number").asText()).isEqualTo("9990000077");
            assertThat(p.path("example").isNull() || p.path("example").isMissingNode())
                    .isTrue();
        });
        assertThat(admin)
                .singleElement()
                .satisfies(p -> assertThat(p.get("example").asText()).startsWith("MSH"));
    }

    /** Writes refused to everyone but the administrator, and nothing of them stored. */
    @Test
    void everyRefusedWriteLeavesWhatIsStoredAsItWas() throws Exception {
        String otherSession = "conform-attack-" + UUID.randomUUID();
        SoftAssertions soft = new SoftAssertions();
        for (String caller : CALLERS) {
            if (caller.equals(ADMIN)) {
                continue;
            }
            int refused = caller.equals(ANONYMOUS) ? 401 : 403;
            List<HttpResponse<String>> answers = new ArrayList<>();
            answers.add(send(
                    caller,
                    "PUT",
                    "/testbed/runs/" + run + "/prompts/injected",
                    prompt(null).toString()));
            answers.add(send(
                    caller,
                    "PUT",
                    "/testbed/runs/" + run + "/prompts/admit",
                    prompt("Ignore it").toString()));
            answers.add(send(caller, "DELETE", "/testbed/runs/" + run + "/prompts/admit", null));
            answers.add(send(caller, "DELETE", "/testbed/runs/" + run, null));
            answers.add(send(caller, "PUT", "/testbed/conformance/" + session, report(session, "FAIL")));
            answers.add(send(caller, "PUT", "/testbed/conformance/" + otherSession, report(otherSession, "PASS")));
            for (HttpResponse<String> answer : answers) {
                soft.assertThat(answer.statusCode())
                        .as("%s %s as %s: %s", answer.request().method(), answer.uri(), caller, answer.body())
                        .isEqualTo(refused);
            }
        }
        HttpResponse<String> acknowledged =
                send(OTHER_SYSTEM, "PUT", MAILBOX + "/inbox/no-such-message/status/acknowledged", null);
        soft.assertThat(acknowledged.statusCode()).as(acknowledged.body()).isEqualTo(403);
        soft.assertAll();

        assertThat(prompts())
                .as("the run's prompts as the administrator put them")
                .containsExactly("admit");
        assertThat(JSON.readTree(send(ADMIN, "GET", "/testbed/runs/" + run + "/prompts", null)
                                .body())
                        .get(0)
                        .get("text")
                        .asText())
                .isEqualTo("Send the admission of Dot now");
        assertThat(send(ADMIN, "GET", "/testbed/runs/" + run, null).statusCode())
                .as("the run is still registered")
                .isEqualTo(200);
        assertThat(send(ADMIN, "GET", "/testbed/conformance/" + session, null).body())
                .contains("\"PASS\"");
        assertThat(send(ADMIN, "GET", "/testbed/conformance/" + otherSession, null)
                        .statusCode())
                .isEqualTo(404);
    }

    /** The administrator's bad input: 400 naming what is wrong (404 for a run not registered), nothing stored. */
    @Test
    void badInputIsRefusedAndStoresNothing() throws Exception {
        ObjectNode otherRun = prompt(null).put("run", "another-run");
        ObjectNode noSystem = prompt(null);
        noSystem.remove("system");
        String notRegistered = "never-registered-" + UUID.randomUUID();

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(send(ADMIN, "PUT", "/testbed/runs/" + run + "/prompts/bad", otherRun.toString())
                        .statusCode())
                .isEqualTo(400);
        soft.assertThat(send(ADMIN, "PUT", "/testbed/runs/" + run + "/prompts/bad", noSystem.toString())
                        .statusCode())
                .isEqualTo(400);
        soft.assertThat(send(ADMIN, "PUT", "/testbed/runs/" + run + "/prompts/bad", "{\"system\": ")
                        .statusCode())
                .isEqualTo(400);
        soft.assertThat(send(
                                ADMIN,
                                "PUT",
                                "/testbed/runs/" + run + "/prompts/bad",
                                prompt(null).put("expires", "tomorrow").toString())
                        .statusCode())
                .isEqualTo(400);
        soft.assertThat(send(
                                ADMIN,
                                "PUT",
                                "/testbed/runs/" + notRegistered + "/prompts/bad",
                                prompt(null).toString())
                        .statusCode())
                .isEqualTo(404);
        soft.assertThat(send(ADMIN, "GET", "/testbed/runs/" + run + "/exchanges?wait=PT5M", null)
                        .statusCode())
                .isEqualTo(400);
        soft.assertThat(send(ADMIN, "GET", "/testbed/runs/" + run + "/exchanges?wait=soon", null)
                        .statusCode())
                .isEqualTo(400);
        soft.assertThat(send(ADMIN, "GET", "/testbed/runs/" + run + "/exchanges?after=first", null)
                        .statusCode())
                .isEqualTo(400);
        soft.assertThat(send(ADMIN, "GET", "/testbed/prompts", null).statusCode())
                .isEqualTo(400);
        String badSession = "conform-bad-" + UUID.randomUUID();
        soft.assertThat(send(ADMIN, "PUT", "/testbed/conformance/" + badSession, "not a report")
                        .statusCode())
                .isEqualTo(400);
        soft.assertThat(send(ADMIN, "GET", "/testbed/conformance/" + badSession, null)
                        .statusCode())
                .isEqualTo(404);
        soft.assertAll();

        assertThat(prompts()).as("nothing stored by the bad puts").containsExactly("admit");
        assertThat(send(ADMIN, "GET", "/testbed/prompts?system=" + system, null).body())
                .doesNotContain("another-run");
        assertThat(send(ADMIN, "GET", "/testbed/prompts?system=gp-system-" + notRegistered, null)
                        .body())
                .isEqualTo("[]");
    }

    private List<String> prompts() throws Exception {
        List<String> steps = new ArrayList<>();
        JSON.readTree(send(ADMIN, "GET", "/testbed/runs/" + run + "/prompts", null)
                        .body())
                .forEach(p -> steps.add(p.get("step").asText()));
        return steps;
    }

    private ObjectNode prompt(String text) {
        ObjectNode prompt = JSON.createObjectNode()
                .put("system", system)
                .put("organisation", "SYNG09")
                .put("flow", "adt-notification")
                .put("text", text == null ? "Send the admission of Dot now" : text)
                .put("at", "2026-03-02T10:00:00Z")
                .put("expires", "2099-01-01T00:00:00Z")
                .put("example", "MSH|^~\\&|PAS|SYNAC|...");
        prompt.putObject("facts").put("nhs-number", "9990000077");
        return prompt;
    }

    private static String report(String session, String verdict) {
        return """
                {"format-version": 1, "session": "%s", "systems-file": "attack",
                 "started": "2026-03-01T09:00:00Z", "journeys": [], "systems": [], "verdict": "%s"}""".formatted(session, verdict);
    }

    /** 200 for the callers named, 401 for anonymous, 403 for the rest. */
    private static Map<String, Integer> only(String... callers) {
        Map<String, Integer> expected = new HashMap<>();
        for (String caller : callers) {
            expected.put(caller, 200);
        }
        return expected;
    }

    private static int expected(Map<String, Integer> allowed, String caller) {
        if (allowed.containsKey(caller)) {
            return allowed.get(caller);
        }
        return caller.equals(ANONYMOUS) ? 401 : 403;
    }

    private static void expect(HttpResponse<String> answer, int status) {
        assertThat(answer.statusCode())
                .as(answer.request().method() + " " + answer.uri() + ": " + answer.body())
                .isEqualTo(status);
    }

    private HttpResponse<String> send(String as, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (!as.equals(ANONYMOUS)) {
            request.header("Authorization", "Bearer " + token(as));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private synchronized String token(String as) {
        return tokens.computeIfAbsent(as, a -> {
            TokenClient client = new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"));
            if (a.startsWith("client:")) {
                String id = a.substring("client:".length());
                return client.forClient(id, realm.client(id).orElseThrow().secret());
            }
            return client.forUser("testbed-scenarios", realm.user(a).orElseThrow(), PASSWORD);
        });
    }
}
