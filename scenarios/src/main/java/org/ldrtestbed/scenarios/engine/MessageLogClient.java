package org.ldrtestbed.scenarios.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** Reads a journey run's flow messages from the testbed's message log ({@code GET /testbed/messages}) as its admin. */
final class MessageLogClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("DELIVERED", "DEAD_LETTERED");

    private final URI serverRoot;
    private final Supplier<String> adminToken;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ReplayTimer timer;

    MessageLogClient(URI serverRoot, Supplier<String> adminToken) {
        this(serverRoot, adminToken, ReplayTimer.NONE);
    }

    MessageLogClient(URI serverRoot, Supplier<String> adminToken, ReplayTimer timer) {
        this.serverRoot = serverRoot;
        this.adminToken = adminToken;
        this.timer = timer;
    }

    /** Every log entry of the run, or empty when the server has no message log this reader may see. */
    Optional<JsonNode> entries(String runId) throws InterruptedException {
        String token;
        try {
            token = adminToken.get();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(serverRoot.resolve("/testbed/messages?limit=5000&journey="
                                    + URLEncoder.encode(runId, StandardCharsets.UTF_8)))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            timer.spent(ReplayTimer.Kind.ADMIN_CALL, System.nanoTime() - t0);
        }
    }

    /**
     * Waits until every message the run has sent so far has reached a terminal stage (delivered or dead-lettered),
     * or the patience ends. False when it did not settle or the log cannot be read.
     */
    boolean awaitSettled(String runId, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<JsonNode> entries = entries(runId);
            if (entries.isEmpty()) {
                return false;
            }
            Map<String, Boolean> settled = new HashMap<>();
            for (JsonNode entry : entries.get()) {
                settled.merge(
                        entry.path("messageId").asText(),
                        TERMINAL.contains(entry.path("stage").asText()),
                        Boolean::logicalOr);
            }
            if (!settled.containsValue(false)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            long t0 = System.nanoTime();
            Thread.sleep(200);
            timer.spent(ReplayTimer.Kind.WAITING, System.nanoTime() - t0);
        }
    }
}
