package org.ldrtestbed.routes.sut;

import ca.uhn.hl7v2.llp.LLPException;
import ca.uhn.hl7v2.llp.MinLowerLayerProtocol;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * HL7v2 over MLLP to a receiving system at {@code host:port}, in HL7's original acknowledgement mode: one message per
 * connection, framed by HAPI HL7v2's own lower layer protocol, answered by an ACK whose MSA-2 names the message's
 * MSH-10. The ACK is read as text (not through HAPI's initiator, which refuses an answer it cannot parse) so that it
 * is kept as it came and a malformed one can be judged.
 *
 * <p>As HL7v2 (2.4, chapter 2.9.2) has it: {@code AA} is delivered; {@code AE} (application error) may succeed when
 * sent again, so it is transient; {@code AR} (application reject) never will, so the message is refused as it stands.
 * No connection, no answer within the timeout, or an answer that is no acknowledgement of this message is transient
 * too: in original mode a sender that gets no acknowledgement sends again.
 */
public final class MllpTransport implements SutTransport {

    private final SutExchanges exchanges;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param clock stamps the exchanges: a route's message clock, so they are on the run's time
     * @param timeout for connecting and for the acknowledgement alike
     */
    public MllpTransport(SutExchanges exchanges, Clock clock, Duration timeout) {
        this.exchanges = exchanges;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return SystemUnderTest.MLLP;
    }

    @Override
    public String send(SystemUnderTest system, Outgoing message) {
        String er7 = message.wire().strip().replace("\r\n", "\r").replace('\n', '\r');
        String controlId = Er7.field(Er7.segment(er7, "MSH"), 10);
        if (controlId == null || controlId.isBlank()) {
            throw new InvalidMessageException("the wire message is not HL7v2 ER7 with an MSH-10 control id");
        }
        InetSocketAddress peer = address(system.endpoint());
        String endpoint = peer.getHostString() + ":" + peer.getPort();
        String where = "SUT " + system.system() + " (" + name() + ") " + endpoint;
        String ack;
        try (Socket socket = new Socket()) {
            socket.connect(peer, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            MinLowerLayerProtocol llp = new MinLowerLayerProtocol();
            llp.getWriter(socket.getOutputStream()).writeMessage(er7);
            TimeoutWatch in = new TimeoutWatch(socket.getInputStream());
            ack = llp.getReader(in).getMessage();
            // HAPI's reader answers null both for a closed connection and for a read that timed out.
            if (ack == null) {
                String reason = in.timedOut
                        ? where + " did not acknowledge within " + timeout
                        : where + " closed the connection without acknowledging";
                throw unavailable(system, message, er7, endpoint, reason);
            }
        } catch (SocketTimeoutException e) {
            throw unavailable(system, message, er7, endpoint, where + " did not acknowledge within " + timeout);
        } catch (IOException | LLPException e) {
            String reason = e.getCause() instanceof SocketTimeoutException
                    ? where + " did not acknowledge within " + timeout
                    : where + " is unreachable: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            throw unavailable(system, message, er7, endpoint, reason);
        }
        ack = ack.strip().replace("\r\n", "\r").replace('\n', '\r');
        record(system, message, er7, endpoint, ack, null);
        String msa = Er7.segment(ack, "MSA");
        String code = Er7.field(msa, 1);
        String answers = Er7.field(msa, 2);
        if (msa == null || code == null) {
            throw new SutUnavailableException(
                    where + " answered without an acknowledgement (no MSA-1): " + Er7.firstSegment(ack));
        }
        if (!controlId.equals(answers)) {
            throw new SutUnavailableException(where + " acknowledged message " + answers + ", not " + controlId);
        }
        String text = Er7.unescape(Er7.field(msa, 3));
        String err = Er7.segment(ack, "ERR");
        // MSA-3 is often generic; the ERR segment says what went wrong.
        String said = (text == null || text.isBlank() ? "" : ": " + text) + (err == null ? "" : " (" + err + ")");
        return switch (code) {
            case "AA", "CA" -> "sent to " + where + ": ACK " + code + " for " + controlId;
            case "AE", "CE" -> throw new SutUnavailableException(where + " acknowledged " + code + said);
            case "AR", "CR" -> throw new InvalidMessageException(where + " rejected the message (" + code + ")" + said);
            default -> throw new SutUnavailableException(where + " answered MSA-1 " + code + ", not an ACK code");
        };
    }

    private SutUnavailableException unavailable(
            SystemUnderTest system, Outgoing message, String er7, String endpoint, String reason) {
        record(system, message, er7, endpoint, null, reason);
        return new SutUnavailableException(reason);
    }

    private void record(
            SystemUnderTest system, Outgoing message, String er7, String endpoint, String ack, String error) {
        exchanges.record(new SutExchange(
                0,
                message.run(),
                system.system(),
                message.flow(),
                message.messageId(),
                SutExchange.TO_SUT,
                name(),
                endpoint,
                message.nhsNumber(),
                er7,
                null,
                ack,
                null,
                error,
                clock.instant()));
    }

    /** {@code host:port} (an {@code mllp://} prefix allowed); a binding with anything else can never be reached. */
    static InetSocketAddress address(String endpoint) {
        String hostPort = endpoint.strip().replaceFirst("^mllp://", "").replaceAll("/+$", "");
        int colon = hostPort.lastIndexOf(':');
        try {
            int port = colon <= 0 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65_535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new InvalidMessageException("an MLLP endpoint is host:port, not " + endpoint);
        }
    }

    /** Tells whether a read timed out, which HAPI's reader does not. */
    private static final class TimeoutWatch extends FilterInputStream {
        private volatile boolean timedOut;

        TimeoutWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (SocketTimeoutException e) {
                timedOut = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (SocketTimeoutException e) {
                timedOut = true;
                throw e;
            }
        }
    }

    /** Reading an ER7 message's fields without a parser: an acknowledgement must be judged even when malformed. */
    static final class Er7 {

        private Er7() {}

        /** The first segment of that name, or null. */
        static String segment(String er7, String name) {
            for (String segment : er7.split("\r")) {
                if (segment.startsWith(name + "|")) {
                    return segment;
                }
            }
            return null;
        }

        static String firstSegment(String er7) {
            return er7.split("\r", 2)[0];
        }

        /**
         * Field {@code n} of a segment, numbered as HL7 numbers them (for MSH, MSH-1 is the field separator itself).
         */
        static String field(String segment, int n) {
            if (segment == null) {
                return null;
            }
            String[] fields = segment.split("\\|", -1);
            int index = segment.startsWith("MSH|") ? n - 1 : n;
            return index < fields.length && !fields[index].isEmpty() ? fields[index] : null;
        }

        static String unescape(String text) {
            return text == null
                    ? null
                    : text.replace("\\F\\", "|")
                            .replace("\\S\\", "^")
                            .replace("\\T\\", "&")
                            .replace("\\R\\", "~")
                            .replace("\\E\\", "\\");
        }
    }
}
