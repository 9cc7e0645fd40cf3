package org.ldrtestbed.scenarios.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.Withheld;

/**
 * A run's switches registered with the testbed (as its testbed-admin user, at {@code /testbed/runs/{run}}), so the
 * server applies them to that run's messages only: FHIR requests carry the run id, HL7v2 messages are matched by
 * the run's patient. Also reads back which messages they held, and what the server has switched off for everyone.
 */
final class RunRegistration {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private final URI serverRoot;
    private final Supplier<String> adminToken;
    private final HttpClient http;
    private final ReplayTimer timer;

    /** @param http the engine's client for the admin API, shared by its runs */
    RunRegistration(URI serverRoot, Supplier<String> adminToken, HttpClient http, ReplayTimer timer) {
        this.serverRoot = serverRoot;
        this.adminToken = adminToken;
        this.http = http;
        this.timer = timer;
    }

    /**
     * Registers the run's switches.
     *
     * @throws IllegalStateException when the server does not take them (then the run cannot honour its switches)
     */
    void register(String runId, RunSettings settings, String nhsNumber, FlowCatalogue catalogue) {
        register(runId, settings, nhsNumber, catalogue, List.of());
    }

    /** @param systemsUnderTest the flows of organisations suppliers' systems play in the run */
    void register(
            String runId,
            RunSettings settings,
            String nhsNumber,
            FlowCatalogue catalogue,
            List<org.ldrtestbed.routes.contract.SystemUnderTest> systemsUnderTest) {
        RunSwitches switches = new RunSwitches(
                settings.disabledFlows(),
                settings.deployment() == null
                        ? List.of()
                        : settings.deployment().rules(catalogue),
                Set.of(nhsNumber),
                systemsUnderTest);
        HttpResponse<String> response;
        try {
            response = send(HttpRequest.newBuilder(runUri(runId))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(switches))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot register the run's switches at " + runUri(runId) + ": " + e, e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the server does not take this run's switches (PUT " + runUri(runId)
                    + " answered " + response.statusCode() + ": " + response.body() + ")");
        }
    }

    /**
     * Registers the journey's own people for the run, so the embedded identity provider logs them in.
     *
     * @throws PeopleRefusedException when the server refuses them (409: a clash with the realm, a privileged role, or an
     *     external identity provider), with the server's reason
     * @throws IllegalStateException when the server cannot be asked
     */
    void registerPeople(String runId, org.ldrtestbed.identity.contract.JourneyPeople people) {
        URI uri = URI.create(runUri(runId) + "/people");
        HttpResponse<String> response;
        try {
            response = send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(people))));
        } catch (IOException e) {
            throw new IllegalStateException("cannot register the journey's people at " + uri + ": " + e, e);
        }
        if (response.statusCode() == 409) {
            String why;
            try {
                why = JSON.readTree(response.body()).path("error").asText(response.body());
            } catch (IOException e) {
                why = response.body();
            }
            throw new PeopleRefusedException(why);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the server does not take the journey's people (PUT " + uri + " answered "
                    + response.statusCode() + ": " + response.body() + ")");
        }
    }

    /** Forgets the run's people on the server. */
    void endPeople(String runId) {
        try {
            send(HttpRequest.newBuilder(URI.create(runUri(runId) + "/people")).DELETE());
        } catch (IOException e) {
            // The people's logins then last until the server stops; they open nothing a realm user could not.
        }
    }

    /** The messages the run's switches (or the server's) held back in this run, oldest first. */
    List<Withheld> withheld(String runId) {
        try {
            HttpResponse<String> response =
                    send(HttpRequest.newBuilder(runUri(runId)).GET());
            if (response.statusCode() != 200) {
                return List.of();
            }
            JsonNode withheld = JSON.readTree(response.body()).path("withheld");
            List<Withheld> held = new ArrayList<>();
            for (JsonNode w : withheld) {
                held.add(JSON.treeToValue(w, Withheld.class));
            }
            return held;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Flows the server has switched off for every run, or empty when it does not say. */
    Set<String> serverWideDisabled() {
        Set<String> disabled = new LinkedHashSet<>();
        try {
            HttpResponse<String> response = send(
                    HttpRequest.newBuilder(serverRoot.resolve("/testbed/flows")).GET());
            if (response.statusCode() == 200) {
                for (JsonNode flow : JSON.readTree(response.body())) {
                    if (!flow.path("enabled").asBoolean(true)) {
                        disabled.add(flow.path("code").asText());
                    }
                }
            }
        } catch (IOException e) {
            // A server that does not say has switched nothing off that this run can know of.
        }
        return disabled;
    }

    /** Forgets the run (its switches, its clock) on the server; a server that has already forgotten it is fine. */
    void end(String runId) {
        try {
            send(HttpRequest.newBuilder(runUri(runId)).DELETE());
            send(HttpRequest.newBuilder(URI.create(runUri(runId) + "/clock")).DELETE());
        } catch (IOException e) {
            // The server keeps a few switches of a finished run; nothing else depends on them.
        }
    }

    /**
     * Tells the server the run's clock stands at this instant, for what reaches it without a request of the run
     * (HL7v2 over MLLP names no client to believe): the run's headers on {@code GET /testbed/runs/{run}/clock}.
     * A server without run clocks is not an error: its messages simply stay on its own clock.
     */
    public void setClock(String runId, java.time.Instant now) throws InterruptedException {
        try {
            send(HttpRequest.newBuilder(URI.create(runUri(runId) + "/clock"))
                    .header(ActorSession.JOURNEY_HEADER, runId)
                    .header(ActorSession.SIMULATED_TIME_HEADER, now.toString())
                    .GET());
        } catch (IOException e) {
            // Only timeliness of the HL7v2 message is less exact; the replay goes on.
        }
    }

    private URI runUri(String runId) {
        return serverRoot.resolve("/testbed/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        String token = adminToken.get();
        long t0 = System.nanoTime();
        try {
            return http.send(
                    request.header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            timer.spent(ReplayTimer.Kind.ADMIN_CALL, System.nanoTime() - t0);
        }
    }
}
