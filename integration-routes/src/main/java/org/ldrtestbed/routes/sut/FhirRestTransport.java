package org.ldrtestbed.routes.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * FHIR RESTful create of the wire message at a receiving system's FHIR base: {@code POST {endpoint}/{resourceType}}
 * (a document Bundle to {@code /Bundle}). A 2xx is delivered; a timeout, a refused connection, a 408, 429 or 5xx is
 * transient; any other 4xx means the system will never take the message as it stands.
 */
public final class FhirRestTransport implements SutTransport {

    private static final String FHIR_JSON = "application/fhir+json";

    private final FhirContext fhirContext;
    private final SutExchanges exchanges;
    private final Clock clock;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param clock stamps the exchanges: a route's message clock, so they are on the run's time
     * @param timeout for connecting and for the answer alike
     */
    public FhirRestTransport(FhirContext fhirContext, SutExchanges exchanges, Clock clock, Duration timeout) {
        this.fhirContext = fhirContext;
        this.exchanges = exchanges;
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return SystemUnderTest.FHIR_REST;
    }

    @Override
    public String send(SystemUnderTest system, Outgoing message) {
        URI target = target(system.endpoint(), resourceType(message.wire()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(message.wire(), StandardCharsets.UTF_8));
        if (system.authorization() != null && !system.authorization().isBlank()) {
            request.header("Authorization", system.authorization());
        }
        // A retry after a timeout must not file the document twice at a server that honours a conditional create.
        ifNoneExist(message.wire()).ifPresent(condition -> request.header("If-None-Exist", condition));
        String where = "SUT " + system.system() + " (" + name() + ") " + target;
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw unavailable(system, message, target, where + " did not answer within " + timeout);
        } catch (IOException e) {
            throw unavailable(system, message, target, where + " is unreachable: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(system, message, target, where + ": the call was interrupted");
        }
        int status = response.statusCode();
        String location = response.headers().firstValue("Location").orElse(null);
        record(system, message, target, status, response.body(), location, null);
        if (status >= 200 && status < 300) {
            return "sent to " + where + ": " + status + (location == null ? "" : ", Location " + location);
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new InvalidMessageException(where + " refused the message (HTTP " + status + "): " + response.body());
        }
        throw new SutUnavailableException(where + " answered HTTP " + status + ": " + response.body());
    }

    private SutUnavailableException unavailable(SystemUnderTest system, Outgoing message, URI target, String reason) {
        record(system, message, target, null, null, null, reason);
        return new SutUnavailableException(reason);
    }

    private void record(
            SystemUnderTest system,
            Outgoing message,
            URI target,
            Integer status,
            String response,
            String location,
            String error) {
        exchanges.record(new SutExchange(
                0,
                message.run(),
                system.system(),
                message.flow(),
                message.messageId(),
                SutExchange.TO_SUT,
                name(),
                target.toString(),
                message.nhsNumber(),
                message.wire(),
                status,
                response,
                location,
                error,
                clock.instant()));
    }

    /** The wire message's resource type, which names the endpoint it is created at. */
    /** {@code identifier=system|value} of a wire resource with an identifier (a document Bundle has one). */
    private java.util.Optional<String> ifNoneExist(String wire) {
        org.hl7.fhir.instance.model.api.IBaseResource resource =
                fhirContext.newJsonParser().parseResource(wire);
        if (resource instanceof org.hl7.fhir.r4.model.Bundle bundle && bundle.hasIdentifier()) {
            return java.util.Optional.of("identifier=" + bundle.getIdentifier().getSystem() + "|"
                    + bundle.getIdentifier().getValue());
        }
        return java.util.Optional.empty();
    }

    private String resourceType(String wire) {
        try {
            return fhirContext.newJsonParser().parseResource(wire).fhirType();
        } catch (DataFormatException e) {
            throw new InvalidMessageException("the wire message is not FHIR JSON: " + e.getMessage());
        }
    }

    private static URI target(String endpoint, String resourceType) {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return URI.create(base + "/" + resourceType);
    }

    /** A connection failure's own words: java.net.http often wraps them with no message of its own. */
    private static String describe(IOException e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
