package org.ldrtestbed.routes.sut;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.ldrtestbed.routes.contract.MessageAcknowledgement;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * FHIR messaging to a receiving system: the message Bundle posted to {@code {endpoint}/$process-message}, answered
 * by an acknowledgement ({@link MessageAcknowledgement}). A 2xx whose acknowledgement says {@code ok} is delivered; a
 * {@code transient-error}, no answer in time, a refused connection, a 408, 429 or 5xx is transient; a {@code
 * fatal-error} or any other 4xx means the system will never take the message as it stands. A 2xx without a readable
 * acknowledgement is delivered (the system took it), and the conformance check fails its acknowledgement.
 */
public final class ProcessMessageTransport implements SutTransport {

    private static final String FHIR_JSON = "application/fhir+json";
    private static final String OPERATION = "$process-message";

    private final FhirContext fhirContext;
    private final SutExchanges exchanges;
    private final Clock clock;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param clock stamps the exchanges: a route's message clock, so they are on the run's time
     * @param timeout for connecting and for the answer alike
     */
    public ProcessMessageTransport(FhirContext fhirContext, SutExchanges exchanges, Clock clock, Duration timeout) {
        this.fhirContext = fhirContext;
        this.exchanges = exchanges;
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return SystemUnderTest.PROCESS_MESSAGE;
    }

    @Override
    public String send(SystemUnderTest system, Outgoing message) {
        String headerId = MessageAcknowledgement.requestHeaderId(fhirContext, message.wire())
                .orElseThrow(() -> new InvalidMessageException(
                        "the wire message is not a FHIR message Bundle with a MessageHeader id"));
        URI target = target(system.endpoint());
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", FHIR_JSON)
                .header("Accept", FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(message.wire(), StandardCharsets.UTF_8));
        if (system.authorization() != null && !system.authorization().isBlank()) {
            request.header("Authorization", system.authorization());
        }
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
        record(system, message, target, status, response.body(), null);
        if (status >= 200 && status < 300) {
            return acknowledged(where, status, headerId, response.body());
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            throw new InvalidMessageException(where + " refused the message (HTTP " + status + "): " + response.body());
        }
        throw new SutUnavailableException(where + " answered HTTP " + status + ": " + response.body());
    }

    /** What a 2xx's acknowledgement says of the message: delivered, to be retried, or never to be taken. */
    private String acknowledged(String where, int status, String headerId, String body) {
        MessageAcknowledgement.Result read = MessageAcknowledgement.read(fhirContext, body);
        if (read.ok().isEmpty()) {
            return "sent to " + where + ": " + status + ", but " + read.problem();
        }
        MessageAcknowledgement ack = read.acknowledgement();
        String answers = headerId.equals(ack.requestHeaderId())
                ? ""
                : " (for MessageHeader " + ack.requestHeaderId() + ", not " + headerId + ")";
        return switch (ack.code()) {
            case MessageAcknowledgement.OK -> "sent to " + where + ": " + status + ", acknowledged ok" + answers;
            case MessageAcknowledgement.TRANSIENT_ERROR ->
                throw new SutUnavailableException(where + " acknowledged transient-error" + answers + ": " + body);
            default -> throw new InvalidMessageException(where + " acknowledged " + ack.code() + answers + ": " + body);
        };
    }

    private SutUnavailableException unavailable(SystemUnderTest system, Outgoing message, URI target, String reason) {
        record(system, message, target, null, null, reason);
        return new SutUnavailableException(reason);
    }

    private void record(
            SystemUnderTest system, Outgoing message, URI target, Integer status, String response, String error) {
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
                null,
                error,
                clock.instant()));
    }

    private static URI target(String endpoint) {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return URI.create(base + "/" + OPERATION);
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
