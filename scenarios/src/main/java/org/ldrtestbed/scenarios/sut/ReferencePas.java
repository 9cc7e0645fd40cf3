package org.ldrtestbed.scenarios.sut;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v24.message.ADT_A01;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.ldrtestbed.fhirserver.contract.Prompt;

/**
 * A reference acute PAS: on a {@link Prompt} it sends the HL7v2 ADT the prompt asks for over MLLP with HAPI HL7v2's
 * own client, and reads the acknowledgement. It acts on one prompt ({@link #act}) or follows the testbed's prompts
 * for its system name ({@link #follow}), once per run and step.
 *
 * <p>Faults: {@code wrong-patient} sends NHS number {@value Fault#WRONG_NHS_NUMBER}; {@code invalid} leaves PID-3
 * empty; {@code silence} sends nothing; {@code late} stamps EVN-2 and MSH-7 an hour before the event. {@code 5xx} is a
 * receiver's fault and is refused.
 */
public final class ReferencePas implements AutoCloseable {

    /** What acting on a prompt did: the ER7 sent and acknowledged, or nothing sent (both null). */
    public record Exchange(Prompt prompt, String message, String ack, String ackCode) {
        public boolean sent() {
            return message != null;
        }
    }

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

    private final String host;
    private final int port;
    private final Fault fault;
    private final AdtPromptTranslator translator;
    private final HapiContext hl7 = new DefaultHapiContext();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicReference<PromptFollower> following =
            new java.util.concurrent.atomic.AtomicReference<>();
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Consumer<String> log = line -> {};

    /**
     * @param host where the receiver takes MLLP
     * @throws IllegalArgumentException for a fault that does not apply to a sender ({@code 5xx})
     */
    public ReferencePas(String host, int port, Fault fault) {
        if (fault == Fault.SERVER_ERROR) {
            throw new IllegalArgumentException("Fault '" + fault
                    + "' does not apply to a sender such as a PAS; allowed: "
                    + Fault.NONE + ", " + Fault.WRONG_PATIENT + ", " + Fault.INVALID + ", " + Fault.SILENCE + ", "
                    + Fault.LATE);
        }
        this.host = host;
        this.port = port;
        this.fault = fault;
        // The receiver judges the message; this sender's faults must reach it unaltered.
        hl7.setValidationContext(ValidationContextFactory.noValidation());
        // MSH-10 is the prompt's; HAPI's default generator would write an id_file into the working directory.
        hl7.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        // Its own threads: closing a context shuts its executor, and HAPI's default one is shared by the JVM.
        hl7.setExecutorService(Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("reference-pas-", 0).factory()));
        this.translator = new AdtPromptTranslator(fault, hl7);
    }

    public ReferencePas pollingEvery(Duration interval) {
        this.pollInterval = interval;
        return this;
    }

    /** Where {@link #follow} says what it did and what went wrong (one line each). */
    public ReferencePas reportingTo(Consumer<String> log) {
        this.log = log;
        return this;
    }

    public Fault fault() {
        return fault;
    }

    /**
     * Sends the prompt's ADT and waits for its acknowledgement; with {@code silence}, sends nothing.
     *
     * @throws IllegalArgumentException when the prompt lacks a fact the message needs
     * @throws IOException when the receiver cannot be reached or does not acknowledge
     */
    public Exchange act(Prompt prompt) throws IOException {
        ADT_A01 adt = translator.toAdt(prompt);
        if (fault == Fault.SILENCE) {
            return new Exchange(prompt, null, null, null);
        }
        Connection connection = null;
        try {
            String er7 = hl7.getPipeParser().encode(adt);
            connection = hl7.newClient(host, port, false);
            connection.getInitiator().setTimeout(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Message ack = connection.getInitiator().sendAndReceive(adt);
            return new Exchange(prompt, er7, hl7.getPipeParser().encode(ack), new Terser(ack).get("MSA-1"));
        } catch (HL7Exception | LLPException e) {
            throw new IOException("MLLP " + host + ":" + port + ": " + e.getMessage(), e);
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /**
     * Polls {@code GET {testbedRoot}/testbed/prompts?system=NAME} and acts once on each (run, step) it lists, until
     * {@link #stop()}. A poll or an act that fails is reported and the loop goes on: the testbed may be restarting.
     */
    public void follow(URI testbedRoot, Supplier<String> bearerToken, String systemName) {
        PromptFollower follower =
                new PromptFollower(testbedRoot, bearerToken, systemName, this::report, log, pollInterval);
        if (!following.compareAndSet(null, follower)) {
            throw new IllegalStateException("already following prompts");
        }
        log.accept("Following prompts for system '" + systemName + "' at " + follower.prompts() + "; sending to"
                + " mllp://" + host + ":" + port + (fault == Fault.NONE ? "" : " (faulty: " + fault + ")"));
        if (stopped.getCount() == 0) {
            return;
        }
        follower.run();
    }

    private void report(Prompt prompt) {
        String what = prompt.run() + "/" + prompt.step() + " " + prompt.facts().get("event");
        try {
            Exchange exchange = act(prompt);
            log.accept(
                    exchange.sent()
                            ? "Sent " + what + " (MSH-10 " + prompt.facts().get("control-id") + "): ACK "
                                    + exchange.ackCode()
                            : "Kept " + what + " back (faulty: silence)");
        } catch (IOException | RuntimeException e) {
            log.accept("Could not send " + what + ": " + e.getMessage());
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
    public void close() throws IOException {
        stop();
        hl7.close();
    }
}
