package org.ldrtestbed.fhirserver.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/** Conformance sessions kept on a real server: put by the administrator, listed, read back as put; others refused. */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class ConformanceSessionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "digitallead.okonjo";

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @Test
    void aPutSessionIsListedAndReadBackAsPut() throws Exception {
        String session = "conform-dot-reference-" + UUID.randomUUID();
        String report = report(session, "2026-03-01T09:00:00Z", "FAIL");

        HttpResponse<String> kept = put(ADMIN, session, report);
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(201);

        HttpResponse<String> read = get(ADMIN, "/testbed/conformance/" + session);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(report);

        JsonNode listed = listed(session);
        assertThat(listed.get("systems-file").asText()).isEqualTo("dot-reference");
        assertThat(listed.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(listed.get("started").asText()).startsWith("2026-03-01T09:00");
    }

    @Test
    void aSecondPutReplacesTheFirst() throws Exception {
        String session = "conform-dot-reference-" + UUID.randomUUID();
        assertThat(put(ADMIN, session, report(session, "2026-03-01T09:00:00Z", "FAIL"))
                        .statusCode())
                .isEqualTo(201);

        HttpResponse<String> again = put(ADMIN, session, report(session, "2026-03-01T09:00:00Z", "PASS"));

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(listed(session).get("verdict").asText()).isEqualTo("PASS");
        assertThat(get(ADMIN, "/testbed/conformance/" + session).body()).contains("\"PASS\"");
    }

    @Test
    void anUnknownSessionIs404() throws Exception {
        assertThat(get(ADMIN, "/testbed/conformance/conform-never-" + UUID.randomUUID())
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aReportOfAnotherSessionIsRefused() throws Exception {
        String session = "conform-dot-reference-" + UUID.randomUUID();
        HttpResponse<String> refused = put(ADMIN, session, report("conform-other", "2026-03-01T09:00:00Z", "PASS"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(get(ADMIN, "/testbed/conformance/" + session).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyTheAdministratorKeepsOrReadsSessions() throws Exception {
        String session = "conform-dot-reference-" + UUID.randomUUID();
        assertThat(put("gp.ashdown", session, report(session, "2026-03-01T09:00:00Z", "PASS"))
                        .statusCode())
                .isEqualTo(403);
        assertThat(get("gp.ashdown", "/testbed/conformance").statusCode()).isEqualTo(403);
        assertThat(get(ADMIN, "/testbed/conformance/" + session).statusCode()).isEqualTo(404);
    }

    private JsonNode listed(String session) throws Exception {
        HttpResponse<String> list = get(ADMIN, "/testbed/conformance");
        assertThat(list.statusCode()).isEqualTo(200);
        for (JsonNode entry : JSON.readTree(list.body())) {
            if (entry.get("session").asText().equals(session)) {
                return entry;
            }
        }
        throw new AssertionError(session + " is not listed: " + list.body());
    }

    /** A conformance.json as {@code testbed conform} writes it, with the fields a list shows. */
    private static String report(String session, String started, String verdict) {
        return """
                {"format-version": 1, "session": "%s", "systems-file": "dot-reference",
                 "title": "Dot's journey with reference systems", "server": "http://localhost/fhir",
                 "started": "%s", "elapsed": "PT1M", "journeys": [], "systems": [], "verdict": "%s"}""".formatted(session, started, verdict);
    }

    private HttpResponse<String> put(String user, String session, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(root() + "/testbed/conformance/" + session))
                        .header("Authorization", "Bearer " + new TestbedClient(port).token(user))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String user, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(root() + path))
                        .header("Authorization", "Bearer " + new TestbedClient(port).token(user))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String root() {
        return "http://localhost:" + port;
    }
}
