package org.ldrtestbed.scenarios;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code scenarios/testbed serve} as a separate JVM on free ports, for tests that must kill the server the hard way
 * (SIGKILL) and start it again on the same data folder and database.
 */
final class ServedTestbed implements AutoCloseable {

    private static final String SERVING = "Testbed serving FHIR at ";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final int port;

    private ServedTestbed(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code TestbedCommand serve} on this JVM's classpath and waits until it says it is serving.
     *
     * @param dataDir the H2 store and the broker journal, kept between lives
     * @param properties Spring properties for the server (e.g. a PostgreSQL datasource), as system properties
     * @param log where the server's output goes (appended: one file for every life)
     */
    static ServedTestbed start(Path dataDir, Map<String, Object> properties, Path log) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        // A few writes per life: the quick compiler and one GC thread start it sooner on a small machine.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-Dtestbed.routes.national-services-port=" + freePort());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TestbedCommand.class.getName());
        command.add("serve");
        command.add("--port=" + port);
        command.add("--mllp-port=" + freePort());
        command.add("--data-dir=" + dataDir);
        try {
            Files.createDirectories(log.getParent());
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<Void> serving = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("served-testbed-output").start(() -> copy(process, log, serving));
            try {
                serving.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
                throw new IllegalStateException("The served testbed did not start (see " + log + ")", e);
            }
            return new ServedTestbed(process, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Process process, Path log, CompletableFuture<Void> serving) {
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter file = new PrintWriter(Files.newBufferedWriter(
                        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            file.println("---- served testbed, pid " + process.pid());
            String line;
            while ((line = out.readLine()) != null) {
                file.println(line);
                file.flush();
                if (line.startsWith(SERVING)) {
                    serving.complete(null);
                }
            }
        } catch (IOException e) {
            // The process was killed: its output simply ends.
        } finally {
            serving.completeExceptionally(new IllegalStateException("the server exited before serving"));
        }
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, nothing flushed, the broker and the store die with it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL");
        }
    }

    /** Stops the server as Ctrl-C would, killing it if it takes too long. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            kill();
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
