package org.ldrtestbed.scenarios.sut;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.StandardSocketFactory;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.util.concurrent.Executors;

/**
 * A reference system's MLLP listener: HAPI HL7v2's own server ({@link HL7Service}) with one receiving application,
 * bound to this machine only (HAPI binds every interface; its socket factory is told otherwise).
 */
final class PlainMllpServer implements AutoCloseable {

    private final HapiContext hl7;
    private final HL7Service server;
    private final int port;

    private PlainMllpServer(HapiContext hl7, HL7Service server, int port) {
        this.hl7 = hl7;
        this.server = server;
        this.port = port;
    }

    /**
     * @param port 0 for any free port
     * @throws UncheckedIOException when the port cannot be bound
     */
    static PlainMllpServer start(int port, String name, ReceivingApplication<Message> application) {
        HapiContext hl7 = new DefaultHapiContext();
        // The application judges what it receives; a message must reach it as sent.
        hl7.setValidationContext(ValidationContextFactory.noValidation());
        // HAPI's default generator would write an id_file into the working directory for each ACK.
        hl7.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        hl7.setExecutorService(Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name(name + "-mllp-", 0).factory()));
        ServerSocket[] bound = new ServerSocket[1];
        hl7.setSocketFactory(new StandardSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                bound[0] = new ServerSocket() {
                    @Override
                    public void bind(SocketAddress any, int backlog) throws IOException {
                        super.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
                    }
                };
                return bound[0];
            }
        });
        HL7Service server = hl7.newServer(port, false);
        server.registerApplication(application);
        try {
            server.startAndWait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(hl7);
            throw new IllegalStateException("interrupted while starting the MLLP listener", e);
        } catch (RuntimeException e) {
            close(hl7);
            throw new UncheckedIOException(
                    "cannot listen for MLLP on 127.0.0.1:" + port + ": " + e.getMessage(), new IOException(e));
        }
        if (bound[0] == null || !bound[0].isBound()) {
            server.stopAndWait();
            close(hl7);
            throw new UncheckedIOException(new IOException("cannot listen for MLLP on 127.0.0.1:" + port));
        }
        return new PlainMllpServer(hl7, server, bound[0].getLocalPort());
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        server.stopAndWait();
        close(hl7);
    }

    private static void close(HapiContext hl7) {
        try {
            hl7.close();
        } catch (IOException e) {
            // Its threads are daemons; nothing is left to release.
        }
    }
}
