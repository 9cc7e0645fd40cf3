package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A server restarted during a run still shows the run's prompts: the system under test is served what it was asked to
 * do, and once the engine registers the run again its prompts are listed under it; the run's end forgets them.
 */
class PromptsRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "digitallead.okonjo";

    @Test
    void aRunsPromptsOutliveARestartUntilTheRunEnds() throws Exception {
        Path data = Files.createTempDirectory("ldr-testbed-prompts-");
        String run = "restart-" + UUID.randomUUID();
        String system = "acute-pas-" + run;
        try (TestDatabase database = TestDatabase.create()) {
            try (ConfigurableApplicationContext first = start(database, data)) {
                send(first, "PUT", "/testbed/runs/" + run, switches(), 200);
                send(first, "PUT", "/testbed/runs/" + run + "/prompts/admit", prompt(system), 200);
            }

            try (ConfigurableApplicationContext second = start(database, data)) {
                JsonNode open = send(second, "GET", "/testbed/prompts?system=" + system, null, 200);
                assertThat(open).singleElement().satisfies(p -> {
                    assertThat(p.get("run").asText()).isEqualTo(run);
                    assertThat(p.get("step").asText()).isEqualTo("admit");
                    assertThat(p.get("facts").get("nhs-number").asText()).isEqualTo("9990000077");
                    assertThat(p.get("expires").asText()).startsWith("2099-01-01");
                });
                // Run switches live in memory: the engine registers its run again, and finds its prompts under it.
                send(second, "PUT", "/testbed/runs/" + run, switches(), 200);
                assertThat(send(second, "GET", "/testbed/runs/" + run + "/prompts", null, 200))
                        .singleElement()
                        .satisfies(p -> assertThat(p.get("text").asText()).isEqualTo("Send the admission now"));

                send(second, "DELETE", "/testbed/runs/" + run, null, 204);
                assertThat(send(second, "GET", "/testbed/prompts?system=" + system, null, 200))
                        .isEmpty();
            }
        }
    }

    private static ObjectNode switches() {
        ObjectNode switches = JSON.createObjectNode();
        switches.putArray("disabledFlows");
        switches.putArray("rules");
        switches.putArray("nhsNumbers").add("9990000077");
        switches.putArray("systemsUnderTest");
        return switches;
    }

    private static ObjectNode prompt(String system) {
        ObjectNode prompt = JSON.createObjectNode()
                .put("system", system)
                .put("organisation", "SYNAC")
                .put("flow", "adt-notification")
                .put("text", "Send the admission now")
                .put("at", "2026-03-02T10:00:00Z")
                .put("expires", "2099-01-01T00:00:00Z");
        prompt.putObject("facts").put("nhs-number", "9990000077");
        return prompt;
    }

    private static JsonNode send(
            ConfigurableApplicationContext server, String method, String path, JsonNode body, int status)
            throws Exception {
        int port = ((WebServerApplicationContext) server).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + new TestbedClient(port).token(ADMIN))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> answer =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode())
                .as(method + " " + path + ": " + answer.body())
                .isEqualTo(status);
        return answer.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(answer.body());
    }

    private static ConfigurableApplicationContext start(TestDatabase database, Path data) {
        Map<String, Object> all = new LinkedHashMap<>(database.springProperties());
        all.put("server.port", "0");
        all.put("testbed.data-dir", data.toString());
        all.put("testbed.routes.mllp-port", String.valueOf(PostgresTestbedInitializer.freePort()));
        return new SpringApplicationBuilder(FhirServerApplication.class)
                .run(all.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
    }
}
