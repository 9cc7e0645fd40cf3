package org.ldrtestbed.routes.sut.mesh;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.sut.SutExchanges;
import org.ldrtestbed.routes.sut.SutTransport;
import org.springframework.dao.DataAccessException;

/**
 * Sends a wire message over a MESH-like mailbox the testbed hosts: puts it in the receiving system's inbox (the
 * binding's endpoint is the mailbox id) with the flow's MESH workflow id, and keeps that as an exchange answered 202
 * whose location is the MESH message id. Delivery is asynchronous: the system polls, downloads and acknowledges later
 * ({@link MeshMailbox}), and its acknowledgement is kept as an exchange of its own.
 */
public final class MeshTransport implements SutTransport {

    /** MESH message ids read as the time they were sent, then a random part: {@code 20260302101500123_3F9A0C}. */
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS").withZone(ZoneOffset.UTC);

    private static final int ACCEPTED = 202;

    private final JdbcMeshMailbox store;
    private final SutExchanges exchanges;
    private final Clock clock;
    private final Function<String, Optional<String>> workflowOf;

    /**
     * @param clock stamps the message and its exchange: a route's message clock, so they are on the run's time
     * @param workflowOf the MESH workflow id of a flow's messages, by flow code (the catalogue's {@code mesh-workflow})
     */
    public MeshTransport(
            JdbcMeshMailbox store, SutExchanges exchanges, Clock clock, Function<String, Optional<String>> workflowOf) {
        this.store = store;
        this.exchanges = exchanges;
        this.clock = clock;
        this.workflowOf = workflowOf;
    }

    @Override
    public String name() {
        return SystemUnderTest.MESH;
    }

    /** Only a flow with a MESH workflow id goes over MESH. */
    /** A system receives in its own organisation's mailbox: another's would be read by that organisation. */
    @Override
    public void check(SystemUnderTest system) {
        if (!MeshMailbox.owns(system.organisation(), system.endpoint())) {
            throw new IllegalArgumentException("system under test " + system.system() + " takes "
                    + system.organisation()
                    + "'s place, so it receives in mailbox " + MeshMailbox.mailboxOf(system.organisation()) + ", not "
                    + system.endpoint());
        }
    }

    @Override
    public boolean carries(String flow) {
        return workflowOf.apply(flow).isPresent();
    }

    @Override
    public String send(SystemUnderTest system, Outgoing message) {
        String mailbox = system.endpoint();
        String workflow = workflowOf
                .apply(message.flow())
                .orElseThrow(() -> new InvalidMessageException(
                        "flow " + message.flow() + " has no MESH workflow id (mesh-workflow in the catalogue)"));
        Instant at = clock.instant();
        String id = ID_TIME.format(at) + "_"
                + HexFormat.of()
                        .withUpperCase()
                        .toHexDigits(ThreadLocalRandom.current().nextInt(1 << 24), 6);
        String where = "SUT " + system.system() + " (" + name() + ") mailbox " + mailbox;
        try {
            store.put(new MeshMessage(
                    id,
                    mailbox,
                    message.sender() == null ? null : MeshMailbox.mailboxOf(message.sender()),
                    message.run(),
                    system.system(),
                    message.flow(),
                    message.messageId(),
                    message.nhsNumber(),
                    workflow,
                    contentType(message.wire()),
                    message.wire(),
                    at,
                    null,
                    null));
        } catch (DataAccessException e) {
            String reason = where + ": the message could not be put in the inbox: " + e.getMostSpecificCause();
            record(system, message, mailbox, null, null, reason, at);
            throw new SutUnavailableException(reason);
        }
        record(system, message, mailbox, ACCEPTED, id, null, at);
        return "put in the inbox of " + where + ": " + ACCEPTED + ", MESH message " + id;
    }

    private void record(
            SystemUnderTest system,
            Outgoing message,
            String mailbox,
            Integer status,
            String location,
            String error,
            Instant at) {
        exchanges.record(new SutExchange(
                0,
                message.run(),
                system.system(),
                message.flow(),
                message.messageId(),
                SutExchange.TO_SUT,
                name(),
                mailbox,
                message.nhsNumber(),
                message.wire(),
                status,
                null,
                location,
                error,
                at));
    }

    /** FHIR JSON for a FHIR flow's message, HL7v2 ER7 for a v2 one. */
    private static String contentType(String wire) {
        return wire.startsWith("MSH|") ? "x-application/hl7-v2+er7" : "application/fhir+json";
    }
}
