package org.ldrtestbed.identity.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;

/**
 * Gets access tokens from an OIDC token endpoint (the embedded issuer or a real Keycloak), caching each until shortly
 * before it expires. Used by the journey runner (one token per professional) and by routes (one per system client).
 */
public final class TokenClient {

    private static final Duration EARLY_REFRESH = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI tokenEndpoint;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile LongConsumer requestTimer = nanos -> {};

    /** @param issuer the realm URL, e.g. {@code http://localhost:8080/realms/ldr-testbed} */
    public TokenClient(URI issuer) {
        this(
                issuer,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                Clock.systemUTC());
    }

    TokenClient(URI issuer, HttpClient http, Clock clock) {
        String base = issuer.toString().replaceAll("/+$", "");
        this.tokenEndpoint = URI.create(base + "/protocol/openid-connect/token");
        this.http = http;
        this.clock = clock;
    }

    /**
     * Tells {@code timer} how long each token request to the endpoint took, in nanoseconds (a cached token is no
     * request): a benchmark sees what logging in costs.
     */
    public TokenClient timingRequestsWith(LongConsumer timer) {
        this.requestTimer = timer;
        return this;
    }

    /**
     * A token for a realm user through the given public client, with the SMART scopes that fit the user: {@value
     * ScopeRequests#PATIENT} for patients and proxies, {@value ScopeRequests#PROFESSIONAL} for everyone
     * else.
     */
    public String forUser(String clientId, RealmUser user, String password) {
        return forUser(clientId, user.username(), password, ScopeRequests.requestFor(user.realmRoles()));
    }

    /** A token for a professional, through the given public client: {@value ScopeRequests#PROFESSIONAL}. */
    public String forUser(String clientId, String username, String password) {
        return forUser(clientId, username, password, ScopeRequests.PROFESSIONAL);
    }

    /**
     * A token for a realm user through the given public client.
     *
     * @param scope the {@code scope} request parameter, e.g. {@code openid patient/*.cruds}; the token carries the
     *     client's default scopes and the optional ones named here
     */
    public String forUser(String clientId, String username, String password, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", username);
        form.put("password", password);
        form.put("scope", scope);
        return cached("user:" + clientId + ":" + username + ":" + scope, form);
    }

    /**
     * A token for a confidential client's service account. No {@code scope} parameter: the client's default scopes
     * (in the testbed realm, {@code system/*.cruds}) are what a system gets.
     */
    public String forClient(String clientId, String clientSecret) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        return cached("client:" + clientId, form);
    }

    private String cached(String key, Map<String, String> form) {
        Instant now = clock.instant();
        Cached hit = cache.get(key);
        if (hit != null && now.isBefore(hit.refreshAfter())) {
            return hit.token();
        }
        long t0 = System.nanoTime();
        Cached fresh;
        try {
            fresh = request(form, now);
        } finally {
            requestTimer.accept(System.nanoTime() - t0);
        }
        cache.put(key, fresh);
        return fresh.token();
    }

    private Cached request(Map<String, String> form, Instant now) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() != 200 || !json.hasNonNull("access_token")) {
                throw new TokenRequestException(
                        json.path("error").asText("token_request_failed"),
                        "Token request to " + tokenEndpoint + " failed with HTTP " + response.statusCode() + ": "
                                + json.path("error_description").asText(response.body()),
                        response.statusCode());
            }
            Duration lifetime = Duration.ofSeconds(json.path("expires_in").asLong(60));
            Instant refreshAfter = now.plus(
                    lifetime.compareTo(EARLY_REFRESH.multipliedBy(2)) > 0
                            ? lifetime.minus(EARLY_REFRESH)
                            : lifetime.dividedBy(2));
            return new Cached(json.get("access_token").asText(), refreshAfter);
        } catch (IOException e) {
            throw new TokenRequestException(
                    "token_endpoint_unreachable", "Cannot reach " + tokenEndpoint + ": " + e, 503);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRequestException("interrupted", "Interrupted while requesting a token", 503);
        }
    }

    private record Cached(String token, Instant refreshAfter) {}
}
