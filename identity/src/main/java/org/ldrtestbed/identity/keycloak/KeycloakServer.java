package org.ldrtestbed.identity.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.ldrtestbed.identity.contract.RealmFiles;

/**
 * A real Keycloak server run from its distribution zip ({@code org.keycloak:keycloak-quarkus-dist}), with a realm file
 * imported fresh, for tests and local runs that need the genuine identity provider rather than the embedded issuer.
 * It needs only a JDK: the zip is unpacked with {@code java.util.zip} and readiness is polled with
 * {@code java.net.http}. Keycloak runs in development mode ({@code start-dev}: HTTP, an H2 store under the
 * distribution's {@code data/}).
 */
public final class KeycloakServer implements AutoCloseable {

    /** How long Keycloak may take to answer its discovery document: a first start also builds the server. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private static final String UNPACKED_MARKER = ".unpacked";
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final URI baseUrl;
    private final String realm;
    private final Path log;
    private final Duration startedIn;

    private KeycloakServer(Process process, URI baseUrl, String realm, Path log, Duration startedIn) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.realm = realm;
        this.log = log;
        this.startedIn = startedIn;
    }

    /**
     * Unpacks the distribution (once per work directory), imports the realm fresh and starts Keycloak; returns when
     * the realm's OIDC discovery document answers.
     *
     * @param distributionZip the {@code keycloak-quarkus-dist} zip
     * @param workDir where the distribution is unpacked and the log written
     * @param realmFile a Keycloak realm export; any realm of that name from an earlier run is discarded
     * @param port the HTTP port, or 0 for a free one
     * @throws IllegalStateException when Keycloak exits or does not answer within {@link #START_TIMEOUT}, with the
     *     tail of its log
     */
    public static KeycloakServer start(Path distributionZip, Path workDir, Path realmFile, int port)
            throws IOException {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException(
                    "Keycloak is run with this JVM, which must be Java 21 or newer, not " + Runtime.version());
        }
        String realm = RealmFiles.load(realmFile.toUri().toString()).realm();
        Path home = unpack(distributionZip, workDir);
        Path data = home.resolve("data");
        deleteRecursively(data.resolve("h2"));
        deleteRecursively(data.resolve("import"));
        Files.createDirectories(data.resolve("import"));
        Files.copy(
                realmFile,
                data.resolve("import").resolve(realmFile.getFileName()),
                StandardCopyOption.REPLACE_EXISTING);

        int httpPort = port == 0 ? freePort() : port;
        Path log = workDir.resolve("keycloak-" + httpPort + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        home.resolve("bin/kc.sh").toString(), "start-dev", "--http-port=" + httpPort, "--import-realm")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "synthetic-admin-password");

        long t0 = System.nanoTime();
        Process process = builder.start();
        URI baseUrl = URI.create("http://127.0.0.1:" + httpPort);
        KeycloakServer server = new KeycloakServer(process, baseUrl, realm, log, Duration.ZERO);
        try {
            server.awaitDiscovery();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new KeycloakServer(process, baseUrl, realm, log, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** The realm's issuer URL, e.g. {@code http://127.0.0.1:43121/realms/ldr-testbed}. */
    public URI issuer() {
        return URI.create(baseUrl + "/realms/" + realm);
    }

    /** The server's root URL. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** From launching the process to the first answer of the realm's discovery document. */
    public Duration startedIn() {
        return startedIn;
    }

    /** Keycloak's standard output and error. */
    public Path log() {
        return log;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops Keycloak and any process it started, forcibly after 20 seconds. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void awaitDiscovery() {
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                        + " before it answered " + discovery + "; the end of " + log + ":\n" + logTail());
            }
            try {
                if (answers(http, discovery)) {
                    return;
                }
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
        }
        throw new IllegalStateException("Keycloak did not answer " + discovery + " within " + START_TIMEOUT
                + "; the end of " + log + ":\n" + logTail());
    }

    private static boolean answers(HttpClient http, URI discovery) throws InterruptedException {
        try {
            HttpResponse<Void> response = http.send(
                    HttpRequest.newBuilder(discovery)
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }

    /** Unpacks the zip into the work directory unless a complete earlier unpacking is there; returns its home. */
    static Path unpack(Path zip, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path root = workDir.toAbsolutePath().normalize();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            String top = archive.stream()
                    .map(ZipEntry::getName)
                    .filter(n -> n.contains("/"))
                    .map(n -> n.substring(0, n.indexOf('/')))
                    .findFirst()
                    .orElseThrow(() -> new IOException(zip + " has no top-level folder: not a Keycloak distribution"));
            Path home = root.resolve(top);
            if (Files.exists(home.resolve(UNPACKED_MARKER)) && Files.exists(home.resolve("bin/kc.sh"))) {
                return home;
            }
            deleteRecursively(home);
            for (ZipEntry entry : archive.stream().toList()) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("Zip entry outside the work directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            // Zip entries carry no Unix permissions java.util.zip exposes: restore the launch scripts' bits.
            try (Stream<Path> scripts = Files.list(home.resolve("bin"))) {
                for (Path script :
                        scripts.filter(p -> p.toString().endsWith(".sh")).toList()) {
                    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            Files.createFile(home.resolve(UNPACKED_MARKER));
            return home;
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
