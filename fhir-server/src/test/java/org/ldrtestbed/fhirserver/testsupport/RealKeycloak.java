package org.ldrtestbed.fhirserver.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.ldrtestbed.identity.keycloak.KeycloakServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real Keycloak per test JVM, with the testbed's realm file imported, shared by every integration test that
 * needs it and stopped when the JVM exits. The distribution zip comes from Maven
 * ({@code org.keycloak:keycloak-quarkus-dist}, a test dependency of fhir-server); Failsafe passes its path as the
 * system property {@value #DIST_PROPERTY}.
 */
public final class RealKeycloak {

    public static final String DIST_PROPERTY = "testbed.keycloak.dist";
    public static final String REALM_RESOURCE = "identity/ldr-testbed-realm.json";

    private static KeycloakServer server;

    private RealKeycloak() {}

    /** The running Keycloak, started on first use (about 20 s, more on the first unpacking). */
    public static synchronized KeycloakServer get() {
        if (server == null || !server.isRunning()) {
            String dist = System.getProperty(DIST_PROPERTY);
            if (dist == null || dist.isBlank() || dist.startsWith("${")) {
                throw new IllegalStateException("No Keycloak distribution: run through Maven (./mvnw verify), which"
                        + " sets -D" + DIST_PROPERTY + " to org.keycloak:keycloak-quarkus-dist's zip");
            }
            try {
                Path work = Path.of("target", "keycloak").toAbsolutePath();
                Files.createDirectories(work);
                KeycloakServer started = KeycloakServer.start(Path.of(dist), work, realmFile(work), 0);
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "keycloak-stop"));
                System.out.printf(
                        "Real Keycloak started in %.1f s at %s (log: %s)%n",
                        started.startedIn().toMillis() / 1000.0, started.issuer(), started.log());
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start Keycloak", e);
            }
        }
        return server;
    }

    /** Points a Spring test context's identity at the real Keycloak ({@code testbed.identity.mode=keycloak}). */
    public static void trustFrom(DynamicPropertyRegistry registry) {
        registry.add("testbed.identity.mode", () -> "keycloak");
        registry.add("testbed.identity.issuer-uri", () -> get().issuer().toString());
    }

    /** The realm file as the server loads it from the classpath, copied where Keycloak can import it. */
    private static Path realmFile(Path work) throws IOException {
        Path file = work.resolve(Path.of(REALM_RESOURCE).getFileName());
        try (InputStream in = RealKeycloak.class.getClassLoader().getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IOException(REALM_RESOURCE + " is not on the test classpath");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
