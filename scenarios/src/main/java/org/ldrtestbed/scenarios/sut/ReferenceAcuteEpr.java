package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
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
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.fhirserver.contract.Prompt;

/**
 * A reference acute EPR: it follows the testbed's prompts as an outside supplier's system would — {@code GET
 * /testbed/prompts?system=NAME} over HTTP with its own system client's token, which shows it only its organisation's
 * prompts and not the testbed's example message — and for each prompt of a document flow it composes the FHIR
 * document from the prompt's facts and posts it to the testbed's FHIR base, naming the run in {@value
 * Headers#JOURNEY}, or (a prompt whose {@code transport} is {@code mesh}) to its own MESH mailbox's outbox with the
 * prompt's {@code mex-*} headers, once per run and step.
 *
 * <p>Faults (see {@link DischargeSummaryComposer}): {@code wrong-patient}, {@code invalid}; {@code silence} posts
 * nothing. {@code 5xx} and {@code late} do not apply and are refused.
 */
public final class ReferenceAcuteEpr implements AutoCloseable {

    /** What acting on a prompt did: the document posted and the testbed's answer, or nothing posted (status 0). */
    public record Exchange(Prompt prompt, String document, int status, String answer) {
        public boolean sent() {
            return document != null;
        }
    }

    /** The faults a sender of documents can show. */
    public static final Set<Fault> FAULTS = Set.of(Fault.NONE, Fault.WRONG_PATIENT, Fault.INVALID, Fault.SILENCE);

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    private final URI fhirBase;
    private final Fault fault;
    private final FhirContext fhirContext = FhirContext.forR4Cached();
    private final DischargeSummaryComposer composer;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicReference<PromptFollower> following =
            new java.util.concurrent.atomic.AtomicReference<>();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Consumer<String> log = line -> {};

    /**
     * @param fhirBase the testbed's FHIR base, where documents are posted
     * @throws IllegalArgumentException for a fault that does not apply to a sender of documents
     */
    public ReferenceAcuteEpr(URI fhirBase, Fault fault) {
        if (!FAULTS.contains(fault)) {
            throw new IllegalArgumentException("Fault '" + fault
                    + "' does not apply to an acute EPR sending documents; allowed: " + Fault.NONE + ", "
                    + Fault.WRONG_PATIENT + ", " + Fault.INVALID + ", " + Fault.SILENCE);
        }
        this.fhirBase = URI.create(fhirBase.toString().replaceAll("/+$", ""));
        this.fault = fault;
        this.composer = new DischargeSummaryComposer(fhirContext, fault);
    }

    public ReferenceAcuteEpr pollingEvery(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    /** Where {@link #follow} says what it did and what went wrong (one line each). */
    public ReferenceAcuteEpr reportingTo(Consumer<String> log) {
        this.log = log;
        return this;
    }

    public Fault fault() {
        return fault;
    }

    /**
     * Composes the prompt's document and posts it with the token; with {@code silence}, posts nothing.
     *
     * @throws IllegalArgumentException when the prompt says nothing of the document's content
     * @throws IOException when the testbed cannot be reached
     */
    public Exchange act(Prompt prompt, String bearerToken) throws IOException, InterruptedException {
        Bundle document = composer.compose(prompt);
        if (fault == Fault.SILENCE) {
            return new Exchange(prompt, null, 0, null);
        }
        String body = fhirContext.newJsonParser().encodeResourceToString(document);
        HttpRequest.Builder request = "mesh".equals(prompt.facts().get("transport"))
                ? outbox(prompt).header("Accept", "application/json")
                : HttpRequest.newBuilder(URI.create(fhirBase + "/Bundle"))
                        .header(Headers.JOURNEY, prompt.run())
                        .header("Accept", "application/fhir+json");
        HttpResponse<String> answer = http.send(
                request.header("Authorization", "Bearer " + bearerToken)
                        .header("Content-Type", "application/fhir+json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Exchange(prompt, body, answer.statusCode(), answer.body());
    }

    /** Its own MESH mailbox's outbox at the testbed, with the MESH headers the prompt gives. */
    private HttpRequest.Builder outbox(Prompt prompt) {
        String root = fhirBase.toString().replaceAll("/fhir$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + "/mesh/messageexchange/"
                + URLEncoder.encode(prompt.facts().getOrDefault("mex-from", ""), StandardCharsets.UTF_8)
                + "/outbox"));
        for (String header : List.of("mex-to", "mex-localid", "mex-workflowid")) {
            String value = prompt.facts().get(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        return request;
    }

    /**
     * Polls {@code GET {testbedRoot}/testbed/prompts?system=NAME} and acts once on each (run, step) of a document it
     * lists, until {@link #stop()}. A poll or an act that fails is reported and the loop goes on.
     */
    public void follow(URI testbedRoot, Supplier<String> bearerToken, String systemName) {
        PromptFollower follower = new PromptFollower(
                testbedRoot,
                bearerToken,
                systemName,
                prompt -> {
                    // Only a document's prompt says what to compose.
                    if (prompt.facts().containsKey(DischargeSummaryComposer.CONTENT)) {
                        report(prompt, bearerToken.get());
                    }
                },
                log,
                pollInterval);
        if (!following.compareAndSet(null, follower)) {
            throw new IllegalStateException("already following prompts");
        }
        log.accept("Following prompts for system '" + systemName + "' at " + follower.prompts()
                + "; posting documents to " + fhirBase + (fault == Fault.NONE ? "" : " (faulty: " + fault + ")"));
        if (stopped.getCount() == 0) {
            return;
        }
        follower.run();
    }

    private void report(Prompt prompt, String token) {
        String what = prompt.run() + "/" + prompt.step() + " " + prompt.flow();
        try {
            Exchange exchange = act(prompt, token);
            log.accept(
                    exchange.sent()
                            ? "Sent " + what + ": HTTP " + exchange.status()
                            : "Kept " + what + " back (faulty: silence)");
        } catch (IOException | RuntimeException e) {
            log.accept("Could not send " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends {@link #follow} after its current poll. */
    public void stop() {
        stopped.countDown();
        PromptFollower follower = following.get();
        if (follower != null) {
            follower.close();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
