package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;

/**
 * A GP system's MESH client, as a real one runs: every {@link #INTERVAL} it lists its mailbox's inbox, downloads each
 * new message, files it, and acknowledges it (MESH API v2 paths under {@code /mesh/messageexchange/{mailbox}}). A
 * message it cannot file stays unacknowledged. A {@link Fault#LATE} client acknowledges after its delay; a silent one
 * (or a {@code 5xx} one, which has no answer to fail over a mailbox) is never started.
 */
final class MeshPoller implements AutoCloseable {

    /** How often the inbox is listed: MESH clients poll; the testbed's mailbox answers at once. */
    static final Duration INTERVAL = Duration.ofMillis(500);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final FhirContext fhir;
    private final URI inbox;
    private final Supplier<String> tokens;
    private final Fault fault;
    private final Duration lateDelay;
    private final Consumer<Bundle> filer;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    /** Messages downloaded and not to be downloaded again: filed (acknowledged or about to be) or refused. */
    private final Set<String> handled = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "reference-gp-mesh");
        t.setDaemon(true);
        return t;
    });
    private volatile String token;
    private volatile String problem;

    /**
     * @param testbedRoot the testbed's root URL (its MESH paths are under it)
     * @param tokens a system client's bearer token (the access token alone), asked again when one is refused
     * @param filer files a downloaded document; throws a {@link BaseServerResponseException} for one it cannot file
     */
    MeshPoller(
            FhirContext fhir,
            URI testbedRoot,
            Supplier<String> tokens,
            String mailbox,
            Fault fault,
            Duration lateDelay,
            Consumer<Bundle> filer) {
        this.fhir = fhir;
        String root = testbedRoot.toString().replaceAll("/$", "");
        this.inbox = URI.create(
                root + "/mesh/messageexchange/" + URLEncoder.encode(mailbox, StandardCharsets.UTF_8) + "/inbox");
        this.tokens = tokens;
        this.fault = fault;
        this.lateDelay = lateDelay;
        this.filer = filer;
    }

    MeshPoller start() {
        if (fault != Fault.SILENCE && fault != Fault.SERVER_ERROR) {
            scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** What went wrong last, for a person watching; null while all is well. */
    String problem() {
        return problem;
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (IOException | RuntimeException e) {
            problem = "cannot poll " + inbox + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() throws IOException, InterruptedException {
        HttpResponse<String> listed = send("GET", inbox);
        if (listed.statusCode() != 200) {
            problem = "GET " + inbox + " answered " + listed.statusCode() + ": " + listed.body();
            return;
        }
        for (JsonNode id : JSON.readTree(listed.body()).path("messages")) {
            if (handled.add(id.asText())) {
                receive(id.asText());
            }
        }
    }

    private void receive(String id) throws IOException, InterruptedException {
        URI message = URI.create(inbox + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        HttpResponse<String> downloaded = send("GET", message);
        if (downloaded.statusCode() != 200) {
            // Asked again at the next poll.
            handled.remove(id);
            problem = "GET " + message + " answered " + downloaded.statusCode();
            return;
        }
        try {
            filer.accept(fhir.newJsonParser().parseResource(Bundle.class, downloaded.body()));
        } catch (DataFormatException | BaseServerResponseException e) {
            // Not filed, so not acknowledged: the sender sees it was never taken.
            problem = "message " + id + " was not filed: " + e.getMessage();
            return;
        }
        if (fault == Fault.LATE) {
            scheduler.schedule(() -> acknowledgeQuietly(id), lateDelay.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            acknowledge(id);
        }
    }

    private void acknowledgeQuietly(String id) {
        try {
            acknowledge(id);
        } catch (IOException | RuntimeException e) {
            handled.remove(id);
            problem = "cannot acknowledge " + id + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acknowledge(String id) throws IOException, InterruptedException {
        URI status = URI.create(inbox + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/status/acknowledged");
        HttpResponse<String> answer = send("PUT", status);
        if (answer.statusCode() != 200) {
            // Still in the inbox: downloaded again at the next poll, recognised as filed, acknowledged again.
            handled.remove(id);
            problem = "PUT " + status + " answered " + answer.statusCode();
        }
    }

    private HttpResponse<String> send(String method, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> answer =
                http.send(request(method, uri, bearer(false)), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 401) {
            answer = http.send(request(method, uri, bearer(true)), HttpResponse.BodyHandlers.ofString());
        }
        return answer;
    }

    private String bearer(boolean fresh) {
        if (fresh || token == null) {
            token = tokens.get();
        }
        return token;
    }

    private static HttpRequest request(String method, URI uri, String token) {
        return HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
