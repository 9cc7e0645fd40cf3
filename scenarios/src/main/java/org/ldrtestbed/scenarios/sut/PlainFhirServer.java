package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.rest.server.RestfulServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A reference system's FHIR server: HAPI's plain {@link RestfulServer} at {@code /fhir} on an embedded Tomcat bound
 * to this machine only (not the testbed's server code). The servlet is initialised at start, not on the first
 * request: HAPI's init would otherwise eat into the testbed's timeout.
 */
final class PlainFhirServer implements AutoCloseable {

    private final Tomcat tomcat;
    private final Path workDir;
    private final int port;

    private PlainFhirServer(Tomcat tomcat, Path workDir, int port) {
        this.tomcat = tomcat;
        this.workDir = workDir;
        this.port = port;
    }

    /** @param port 0 for any free port */
    static PlainFhirServer start(RestfulServer server, int port, String name) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory(name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(workDir.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", workDir.toString());
        Tomcat.addServlet(context, "fhir", server).setLoadOnStartup(1);
        context.addServletMappingDecoded("/fhir/*", "fhir");
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            new PlainFhirServer(tomcat, workDir, -1).close();
            throw new IllegalStateException("Tomcat did not start on port " + port + ": " + e.getMessage(), e);
        }
        if (connector.getLocalPort() < 0) {
            // Tomcat logs a port it cannot bind and starts anyway.
            new PlainFhirServer(tomcat, workDir, -1).close();
            throw new IllegalStateException("Tomcat could not listen on port " + port);
        }
        return new PlainFhirServer(tomcat, workDir, connector.getLocalPort());
    }

    int port() {
        return port;
    }

    /** e.g. {@code http://127.0.0.1:P/fhir} */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not stop: " + e.getMessage(), e);
        } finally {
            try (Stream<Path> paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A temporary folder left behind harms nothing.
            }
        }
    }
}
