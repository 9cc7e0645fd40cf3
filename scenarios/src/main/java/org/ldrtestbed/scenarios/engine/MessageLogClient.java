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
import java.util.Optional;
import java.util.function.Supplier;

/** Reads a journey run's flow messages from the testbed's message log ({@code GET /testbed/messages}) as its admin. */
final class MessageLogClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI serverRoot;
    private final Supplier<String> adminToken;
    private final HttpClient http;
    private final ReplayTimer timer;

    MessageLogClient(URI serverRoot, Supplier<String> adminToken) {
        this(serverRoot, adminToken, HttpClient.newHttpClient(), ReplayTimer.NONE);
    }

    /** @param http the engine's client for the admin API, shared by its runs (one connection pool, one selector) */
    MessageLogClient(URI serverRoot, Supplier<String> adminToken, HttpClient http, ReplayTimer timer) {
        this.serverRoot = serverRoot;
        this.adminToken = adminToken;
        this.http = http;
        this.timer = timer;
    }

    /** Every log entry of the run, or empty when the server has no message log this reader may see. */
    Optional<JsonNode> entries(String runId) throws InterruptedException {
        return get(
                "/testbed/messages?limit=5000&journey=" + URLEncoder.encode(runId, StandardCharsets.UTF_8),
                Duration.ofSeconds(30),
                ReplayTimer.Kind.ADMIN_CALL);
    }

    /**
     * The run's log entries after sequence number {@code after}, as soon as the server has any, or none once
     * {@code wait} has passed (the server's long poll, {@code GET /testbed/runs/{run}/messages}); empty when the
     * server offers no such log to this reader.
     */
    Optional<JsonNode> awaitEntries(String runId, long after, Duration wait) throws InterruptedException {
        return get(
                "/testbed/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "/messages?after=" + after
                        + "&wait=" + wait,
                wait.plusSeconds(30),
                wait.isZero() ? ReplayTimer.Kind.ADMIN_CALL : ReplayTimer.Kind.WAITING);
    }

    /** An admin API read as the administrator, timed as {@code kind}; empty when it cannot be had. */
    private Optional<JsonNode> get(String pathAndQuery, Duration timeout, ReplayTimer.Kind kind)
            throws InterruptedException {
        String token;
        try {
            token = adminToken.get();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(serverRoot.resolve(pathAndQuery))
                            .header("Authorization", "Bearer " + token)
                            .timeout(timeout)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } finally {
            timer.spent(kind, System.nanoTime() - t0);
        }
    }
}
