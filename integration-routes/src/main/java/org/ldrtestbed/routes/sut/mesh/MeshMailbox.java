package org.ldrtestbed.routes.sut.mesh;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.sut.SutExchanges;

/**
 * The mailbox side of the MESH-like transport, as a receiving system uses it (modelled on MESH API v2): it lists its
 * inbox, downloads a message, and acknowledges it, which takes it out of the inbox and is kept as the {@code from-sut}
 * exchange of the run that sent it, so a conformance check can judge whether and when the system acknowledged. A
 * mailbox {@code <ODS>-MBX} belongs to organisation {@code <ODS>}. Plain Java.
 */
public final class MeshMailbox {

    /** What a mailbox id ends with after its organisation's ODS code. */
    public static final String SUFFIX = "-MBX";

    private final JdbcMeshMailbox store;
    private final SutExchanges exchanges;
    private final Function<String, Instant> runNow;

    /**
     * @param runNow now on a run's clock, by run id (the wall clock's for none): a system's acknowledgement is on the
     *     clock of the run whose message it acknowledges, as the message's sending was
     */
    public MeshMailbox(JdbcMeshMailbox store, SutExchanges exchanges, Function<String, Instant> runNow) {
        this.store = store;
        this.exchanges = exchanges;
        this.runNow = runNow;
    }

    /** An organisation's mailbox id. */
    public static String mailboxOf(String organisation) {
        return organisation + SUFFIX;
    }

    /** Whether the organisation (a token's ODS code) owns the mailbox. */
    public static boolean owns(String organisation, String mailbox) {
        return organisation != null
                && !organisation.isBlank()
                && mailboxOf(organisation).equals(mailbox);
    }

    /** The ids of the messages waiting in the mailbox, oldest first. */
    public List<String> inbox(String mailbox) {
        return store.inbox(mailbox);
    }

    /** A message of the mailbox, noted as downloaded; empty when the mailbox has none of that id. */
    public Optional<MeshMessage> download(String mailbox, String id) {
        Optional<MeshMessage> message = store.find(mailbox, id);
        message.filter(m -> m.downloadedAt() == null).ifPresent(m -> store.downloaded(m.id(), runNow.apply(m.run())));
        return message;
    }

    /**
     * Acknowledges a message of the mailbox: it leaves the inbox and the acknowledgement is kept as an exchange of its
     * run. A repeated acknowledgement changes nothing. Empty when the mailbox has no message of that id.
     */
    public Optional<MeshMessage> acknowledge(String mailbox, String id) {
        Optional<MeshMessage> message = store.find(mailbox, id);
        message.ifPresent(m -> {
            Instant at = runNow.apply(m.run());
            if (store.acknowledged(m.id(), at)) {
                exchanges.record(new SutExchange(
                        0,
                        m.run(),
                        m.system(),
                        m.flow(),
                        m.messageId(),
                        SutExchange.FROM_SUT,
                        SystemUnderTest.MESH,
                        mailbox,
                        m.nhsNumber(),
                        "acknowledge " + m.id(),
                        200,
                        null,
                        m.id(),
                        null,
                        at));
            }
        });
        return message;
    }
}
