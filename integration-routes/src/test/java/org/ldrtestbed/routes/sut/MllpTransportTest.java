package org.ldrtestbed.routes.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.StandardSocketFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.contract.SystemUnderTest.Direction;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.sut.SutTransport.Outgoing;
import org.ldrtestbed.routes.sut.SutTransport.SutUnavailableException;

/**
 * The MLLP transport against a real HAPI HL7v2 server (its {@code SimpleServer} with a receiving application) playing
 * a GP system: what it sends, how it reads each acknowledgement, and one exchange kept per attempt.
 */
class MllpTransportTest {

    private static final Instant RUN_TIME = Instant.parse("2026-03-02T10:15:00Z");

    private final InMemorySutExchanges exchanges = new InMemorySutExchanges();
    private final MllpTransport transport =
            new MllpTransport(exchanges, Clock.fixed(RUN_TIME, ZoneOffset.UTC), Duration.ofSeconds(1));
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private HapiContext hl7;
    private HL7Service server;
    private int port;

    @AfterEach
    void stop() {
        closing.countDown();
        if (server != null) {
            server.stopAndWait();
        }
        if (hl7 != null) {
            try {
                hl7.close();
            } catch (IOException e) {
                // The context's threads are daemons; nothing else to release.
            }
        }
    }

    @Test
    void anAaIsDeliveredWithTheMessageAndItsAckKept() throws Exception {
        gpSystem(message -> message.generateACK());
        String adt = adt();

        String detail = transport.send(gp(), outgoing(adt));

        assertThat(detail).isEqualTo("sent to SUT gp-system (mllp) 127.0.0.1:" + port + ": ACK AA for MSG-A01-1");
        assertThat(received).singleElement().satisfies(m -> assertThat(m).startsWith("MSH|^~\\&|PAS|SYNAC|"));
        assertThat(exchanges.kept).singleElement().satisfies(e -> {
            assertThat(e.run()).isEqualTo("run-1");
            assertThat(e.system()).isEqualTo("gp-system");
            assertThat(e.flow()).isEqualTo("adt-notification");
            assertThat(e.messageId()).isEqualTo("msg-1");
            assertThat(e.direction()).isEqualTo(SutExchange.TO_SUT);
            assertThat(e.transport()).isEqualTo("mllp");
            assertThat(e.endpoint()).isEqualTo("127.0.0.1:" + port);
            assertThat(e.nhsNumber()).isEqualTo("9990000018");
            assertThat(e.request()).isEqualTo(adt);
            assertThat(e.status()).isNull();
            assertThat(e.response()).contains("MSA|AA|MSG-A01-1");
            assertThat(e.error()).isNull();
            assertThat(e.at()).isEqualTo(RUN_TIME);
        });
    }

    @Test
    void anAeIsAnApplicationErrorThatMaySucceedLaterSoItIsRetried() throws Exception {
        gpSystem(message -> message.generateACK(AcknowledgmentCode.AE, new HL7Exception("store is busy")));

        assertThatThrownBy(() -> transport.send(gp(), outgoing(adt())))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("acknowledged AE")
                .hasMessageContaining("store is busy");
        assertThat(exchanges.kept)
                .singleElement()
                .satisfies(e -> assertThat(e.response()).contains("MSA|AE|MSG-A01-1"));
    }

    @Test
    void anArIsARejectThatNoRetryCanMend() throws Exception {
        gpSystem(message -> message.generateACK(AcknowledgmentCode.AR, new HL7Exception("unknown patient")));

        assertThatThrownBy(() -> transport.send(gp(), outgoing(adt())))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("rejected the message (AR)")
                .hasMessageContaining("unknown patient");
        assertThat(exchanges.kept)
                .singleElement()
                .satisfies(e -> assertThat(e.response()).contains("MSA|AR|MSG-A01-1"));
    }

    @Test
    void noAckWithinTheTimeoutIsTransientAndKeptWithItsReason() throws Exception {
        gpSystem(message -> {
            awaitClosing();
            return message.generateACK();
        });

        assertThatThrownBy(() -> transport.send(gp(), outgoing(adt())))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("did not acknowledge within PT1S");
        assertThat(exchanges.kept).singleElement().satisfies(e -> {
            assertThat(e.response()).isNull();
            assertThat(e.error()).contains("did not acknowledge within PT1S");
        });
    }

    @Test
    void anAnswerThatIsNoAckOfThisMessageIsTransient() throws Exception {
        // The message echoed back: an answer, but not an acknowledgement.
        gpSystem(message -> message);

        assertThatThrownBy(() -> transport.send(gp(), outgoing(adt())))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("without an acknowledgement");
        assertThat(exchanges.kept)
                .singleElement()
                .satisfies(e -> assertThat(e.response()).startsWith("MSH|"));
    }

    @Test
    void anAckOfAnotherMessageIsNotThisOnesAcknowledgement() throws Exception {
        gpSystem(message -> {
            Message ack = message.generateACK();
            new ca.uhn.hl7v2.util.Terser(ack).set("MSA-2", "SOMETHING-ELSE");
            return ack;
        });

        assertThatThrownBy(() -> transport.send(gp(), outgoing(adt())))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("acknowledged message SOMETHING-ELSE, not MSG-A01-1");
    }

    @Test
    void aRefusedConnectionIsTransient() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        port = closed;

        assertThatThrownBy(() -> transport.send(gp(), outgoing(adt())))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("is unreachable");
        assertThat(exchanges.kept)
                .singleElement()
                .satisfies(e -> assertThat(e.error()).contains("unreachable"));
    }

    @Test
    void aWireMessageWithoutAControlIdOrAnEndpointWithoutAPortCanNeverBeSent() throws Exception {
        assertThatThrownBy(() -> transport.send(gp(), outgoing("PID|||9990000018^^^NHS^NH")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("MSH-10");
        SystemUnderTest noPort = new SystemUnderTest(
                "gp-system", "adt-notification", "SYNG09", Direction.RECEIVES, "mllp", "localhost", null);
        assertThatThrownBy(() -> transport.send(noPort, outgoing(adt())))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("host:port");
        assertThat(exchanges.kept).isEmpty();
    }

    private void awaitClosing() {
        try {
            closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A HAPI HL7v2 server on a free loopback port, answering each message as {@code answer} says. */
    private void gpSystem(Answer answer) throws Exception {
        hl7 = new DefaultHapiContext();
        hl7.setValidationContext(ValidationContextFactory.noValidation());
        hl7.setExecutorService(Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("mllp-test-", 0).factory()));
        ServerSocket[] bound = new ServerSocket[1];
        hl7.setSocketFactory(new StandardSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                bound[0] = new ServerSocket() {
                    @Override
                    public void bind(SocketAddress any, int backlog) throws IOException {
                        super.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
                    }
                };
                return bound[0];
            }
        });
        server = hl7.newServer(0, false);
        server.registerApplication(new ReceivingApplication<>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                received.add(message.encode());
                try {
                    return answer.to(message);
                } catch (IOException e) {
                    throw new HL7Exception(e);
                }
            }

            @Override
            public boolean canProcess(Message message) {
                return true;
            }
        });
        server.startAndWait();
        port = bound[0].getLocalPort();
    }

    @FunctionalInterface
    private interface Answer {
        Message to(Message message) throws HL7Exception, IOException;
    }

    private SystemUnderTest gp() {
        return new SystemUnderTest(
                "gp-system", "adt-notification", "SYNG09", Direction.RECEIVES, "mllp", "127.0.0.1:" + port, null);
    }

    private static Outgoing outgoing(String er7) {
        return new Outgoing("run-1", "adt-notification", "msg-1", "9990000018", er7);
    }

    private static String adt() throws IOException {
        try (InputStream in = MllpTransportTest.class.getResourceAsStream("/hl7v2/samples/adt-a01.hl7")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .strip()
                    .replace("\r\n", "\r")
                    .replace('\n', '\r');
        }
    }
}
