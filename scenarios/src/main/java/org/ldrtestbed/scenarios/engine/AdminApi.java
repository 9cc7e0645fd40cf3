package org.ldrtestbed.scenarios.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The testbed's admin API ({@code /testbed/...}) as the realm's testbed administrator: what supplier mode asks of the
 * server beyond the record (prompts, exchanges with systems under test).
 */
public final class AdminApi {

    private final URI serverRoot;
    private final Supplier<String> token;
    private final HttpClient http;

    AdminApi(URI serverRoot, Supplier<String> token, HttpClient http) {
        this.serverRoot = serverRoot;
        this.token = token;
        this.http = http;
    }

    /** The answer's status and body. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    public Answer get(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(serverRoot.resolve(pathAndQuery))
                .timeout(timeout)
                .GET());
    }

    public Answer put(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(serverRoot.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(serverRoot.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .DELETE());
    }

    public URI serverRoot() {
        return serverRoot;
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                request.header("Authorization", "Bearer " + token.get()).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }
}
