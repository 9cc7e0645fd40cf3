package org.ldrtestbed.scenarios.engine;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.Roles;
import org.ldrtestbed.identity.contract.TokenClient;

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

    /**
     * The admin API of the testbed the connection reaches, as the realm's first enabled testbed administrator (logged
     * in through the connection's client); empty when the realm has none.
     */
    public static Optional<AdminApi> asAdministrator(
            TestbedConnection connection, RealmDefinition realm, HttpClient http) {
        TokenClient tokens = new TokenClient(connection.issuer());
        URI root = URI.create(connection.fhirBase().toString().replaceFirst("/fhir/?$", "/"));
        return realm.users().stream()
                .filter(u -> u.realmRoles().contains(Roles.ADMIN) && u.isEnabled())
                .findFirst()
                .map(admin -> new AdminApi(
                        root,
                        () -> tokens.forUser(connection.clientId(), admin, ActorDirectory.passwordOf(admin)),
                        http));
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
