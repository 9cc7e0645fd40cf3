package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.time.Duration;
import org.hl7.fhir.r4.model.Task;

/**
 * A reference ambulance service system receiving BaRS referrals: a plain HAPI {@link RestfulServer} over in-memory
 * {@link HashMapResourceProvider}s on embedded Tomcat, none of the testbed's server code. It answers FHIR messaging's
 * {@code $process-message} ({@link BarsMessageInbox}), keeping each message Bundle and a dispatch worklist Task; its
 * reads ({@code Bundle?identifier=}, {@code Bundle/{id}}, {@code Task}) stay honest so a test can see what it kept.
 *
 * <p>Faults: {@code wrong-patient} acknowledges ok but keeps the referral under NHS number {@value
 * Fault#WRONG_NHS_NUMBER}; {@code invalid} does its work but its acknowledgement's MessageHeader has no {@code source}
 * (not valid R4); {@code silence} holds the request and never answers, keeping nothing; {@code 5xx} answers 503 every
 * time, keeping nothing; {@code late} keeps the first delivery then answers after {@link #lateDelay()}.
 */
public final class ReferenceBarsReceiver implements AutoCloseable {

    /** Longer than the testbed's 5 s delivery timeout. */
    public static final Duration DEFAULT_LATE_DELAY = Duration.ofSeconds(8);

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final int requestedPort;
    private final Fault fault;
    private final Duration lateDelay;
    private final Hold hold = new Hold();
    private final HashMapResourceProvider<Task> worklist;
    private final BarsMessageInbox inbox;
    private PlainFhirServer http;

    /** @param port 0 for any free port */
    public ReferenceBarsReceiver(int port, Fault fault) {
        this(port, fault, DEFAULT_LATE_DELAY);
    }

    public ReferenceBarsReceiver(int port, Fault fault, Duration lateDelay) {
        this.requestedPort = port;
        this.fault = fault;
        this.lateDelay = lateDelay;
        this.worklist = new HashMapResourceProvider<>(fhir, Task.class);
        this.inbox = new BarsMessageInbox(fhir, fault, lateDelay, hold, worklist);
    }

    public ReferenceBarsReceiver start() {
        RestfulServer server = new RestfulServer(fhir);
        server.registerProviders(inbox, worklist, new ProcessMessageOperation(fhir, inbox));
        http = PlainFhirServer.start(server, requestedPort, "reference-ambulance");
        return this;
    }

    public int port() {
        if (http == null) {
            throw new IllegalStateException("not started");
        }
        return http.port();
    }

    /** e.g. {@code http://127.0.0.1:P/fhir}; the operation is at {@code [base]/$process-message}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/fhir";
    }

    public Fault fault() {
        return fault;
    }

    public Duration lateDelay() {
        return lateDelay;
    }

    @Override
    public void close() {
        hold.release();
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
