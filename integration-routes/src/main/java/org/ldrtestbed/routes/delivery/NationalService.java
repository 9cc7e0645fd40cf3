package org.ldrtestbed.routes.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Calls a national service or supplier system (the simulators, or a real sandbox when configured) over FHIR REST.
 * A timeout, a refused connection or a 5xx is transient and left to the route's retries; any other 4xx means the
 * message can never succeed and is reported as invalid, so it is dead-lettered with the service's reason.
 */
public final class NationalService {

    private static final String FHIR_JSON = "application/fhir+json";

    private final String name;
    private final Supplier<URI> baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param name the service, for error messages (e.g. {@code CP-IS})
     * @param baseUrl the service's FHIR base, asked for on each call (the simulators start after the routes)
     */
    public NationalService(String name, Supplier<URI> baseUrl, Duration timeout) {
        this.name = name;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String get(String path) {
        return send(HttpRequest.newBuilder(resolve(path)).GET());
    }

    public String post(String path, String fhirJson) {
        return send(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(fhirJson, StandardCharsets.UTF_8)));
    }

    private URI resolve(String path) {
        String base = baseUrl.get().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private String send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(
                    request.timeout(timeout).header("Accept", FHIR_JSON).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ServiceUnavailableException(name + " did not answer within " + timeout);
        } catch (IOException e) {
            throw new ServiceUnavailableException(name + " is unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(name + " call interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new InvalidMessageException(name + " refused the request (HTTP " + status + "): " + response.body());
        }
        throw new ServiceUnavailableException(name + " answered HTTP " + status + ": " + response.body());
    }

    /** A transient failure of a national service: the route retries, then dead-letters. */
    public static final class ServiceUnavailableException extends UncheckedIOException {
        public ServiceUnavailableException(String message) {
            super(message, new IOException(message));
        }
    }
}
