package org.ldrtestbed.scenarios.sut;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ldrtestbed.fhirserver.contract.Prompt;

/**
 * Follows the testbed's prompts for one system as its users would read them: polls {@code GET
 * {testbed}/testbed/prompts?system=NAME} every interval ({@link #INTERVAL} by default), on a daemon thread ({@link
 * #start}) or the caller's ({@link #run}), and hands each (run, step) to the action once. A poll that fails is logged
 * once per spell of trouble and the loop goes on: the testbed may be restarting. The reference GP system, PAS and
 * acute EPR follow the testbed with it.
 */
final class PromptFollower implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(500);

    private static final TypeReference<List<Prompt>> PROMPTS = new TypeReference<>() {};

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Set<String> actedOn = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final URI prompts;
    private final Supplier<String> token;
    private final Consumer<Prompt> action;
    private final Consumer<String> log;
    private final Duration interval;

    PromptFollower(
            URI testbedRoot, Supplier<String> token, String system, Consumer<Prompt> action, Consumer<String> log) {
        this(testbedRoot, token, system, action, log, INTERVAL);
    }

    PromptFollower(
            URI testbedRoot,
            Supplier<String> token,
            String system,
            Consumer<Prompt> action,
            Consumer<String> log,
            Duration interval) {
        this.prompts = URI.create(testbedRoot.toString().replaceAll("/+$", "") + "/testbed/prompts?system="
                + URLEncoder.encode(system, StandardCharsets.UTF_8));
        this.token = token;
        this.action = action;
        this.log = log;
        this.interval = interval;
    }

    /** Where it polls. */
    URI prompts() {
        return prompts;
    }

    PromptFollower start() {
        Thread thread = new Thread(this::run, "prompt-follower");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Follows on the caller's thread until {@link #close}. */
    void run() {
        String lastProblem = null;
        do {
            try {
                for (Prompt prompt : poll()) {
                    if (actedOn.add(prompt.run() + "/" + prompt.step())) {
                        action.accept(prompt);
                    }
                }
                lastProblem = null;
            } catch (IOException | RuntimeException e) {
                String problem = "Poll of " + prompts + " failed: " + e.getMessage();
                if (!problem.equals(lastProblem)) {
                    log.accept(problem + " (retrying every " + interval.toMillis() + " ms)");
                }
                lastProblem = problem;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (!stoppedWithin(interval));
    }

    private List<Prompt> poll() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(prompts)
                        .header("Authorization", "Bearer " + token.get())
                        .header("Accept", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return json.readValue(response.body(), PROMPTS);
    }

    private boolean stoppedWithin(Duration wait) {
        try {
            return stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    @Override
    public void close() {
        stopped.countDown();
    }
}
