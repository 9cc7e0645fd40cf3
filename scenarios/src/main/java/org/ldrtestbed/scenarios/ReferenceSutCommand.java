package org.ldrtestbed.scenarios;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.scenarios.sut.Fault;
import org.ldrtestbed.scenarios.sut.ReferenceAcuteEpr;
import org.ldrtestbed.scenarios.sut.ReferenceBarsReceiver;
import org.ldrtestbed.scenarios.sut.ReferenceGpSystem;
import org.ldrtestbed.scenarios.sut.ReferencePas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code testbed reference-sut ROLE}: runs a reference system under test (correct, or faulty on purpose) until
 * Ctrl-C, for a supplier to compare theirs with and for supplier-mode runs to be tried against.
 */
@Command(
        name = "reference-sut",
        mixinStandardHelpOptions = true,
        description = "Run a reference system under test until Ctrl-C: gp-practice (a FHIR R4 GP system that files"
                + " discharge summaries and answers $gpc.getstructuredrecord, and files HL7v2 ADT it is sent over MLLP;"
                + " prints its FHIR base and MLLP address), ambulance-service"
                + " (a FHIR R4 ambulance system that takes BaRS referrals at $process-message; prints its FHIR base)"
                + ", acute-pas (a PAS that follows the testbed's prompts and sends HL7v2 ADT over MLLP) or acute-epr (an"
                + " EPR that follows them and posts discharge summaries to the testbed's FHIR API). --faulty makes it"
                + " misbehave on purpose, for the conformance report to catch.")
final class ReferenceSutCommand implements Callable<Integer> {

    static final List<String> ROLES = org.ldrtestbed.scenarios.conformance.ReferenceRoles.ROLES;

    @Parameters(paramLabel = "ROLE", description = "gp-practice, ambulance-service, acute-pas or acute-epr.")
    String role;

    @Option(
            names = "--port",
            paramLabel = "P",
            description = "gp-practice, ambulance-service: its HTTP port (0: any free one); default: ${DEFAULT-VALUE}.",
            defaultValue = "0")
    int port;

    @Option(
            names = "--mllp-port",
            paramLabel = "P",
            description = "gp-practice: the port it takes HL7v2 ADT on over MLLP (0: any free one); default:"
                    + " ${DEFAULT-VALUE}.",
            defaultValue = "0")
    int mllpPort;

    @Option(
            names = "--faulty",
            paramLabel = "KIND",
            description = "none, wrong-patient, invalid, silence, 5xx (not acute-pas, acute-epr) or late (not"
                    + " acute-epr); default:"
                    + " ${DEFAULT-VALUE}.",
            defaultValue = "none")
    String faulty;

    @Option(
            names = "--late-delay",
            paramLabel = "DURATION",
            description =
                    "gp-practice, ambulance-service --faulty late: how long it waits before answering (ISO-8601); default: PT8S,"
                            + " longer than the testbed's 5 s timeout.")
    Duration lateDelay = ReferenceGpSystem.DEFAULT_LATE_DELAY;

    @Option(
            names = "--seed",
            paramLabel = "FILE",
            description = "gp-practice: a JSON Bundle of the records it holds; default: Dot (synthetic), from "
                    + ReferenceGpSystem.DEFAULT_SEED + ".")
    Path seed;

    @Option(
            names = "--mllp",
            paramLabel = "HOST:PORT",
            description = "acute-pas: where the testbed takes HL7v2 over MLLP; default: ${DEFAULT-VALUE}.",
            defaultValue = "127.0.0.1:2575")
    String mllp;

    @Option(
            names = "--testbed",
            paramLabel = "URL",
            description = "acute-pas, acute-epr, gp-practice with --follow-prompts: the testbed whose prompts it"
                    + " follows; gp-practice with --mesh-mailbox: the testbed hosting the mailbox; default:"
                    + " ${DEFAULT-VALUE}.",
            defaultValue = "http://127.0.0.1:8080")
    URI testbed;

    @Option(
            names = "--mesh-mailbox",
            paramLabel = "MAILBOX",
            description = "gp-practice: also receive discharge summaries by polling this MESH mailbox at --testbed"
                    + " (e.g. SYNG09-MBX, its organisation's), as a run binding it over mesh sends them.")
    String meshMailbox;

    @Option(
            names = "--follow-prompts",
            paramLabel = "NAME",
            description = "gp-practice: record what the prompts at --testbed for this system (its name in the systems"
                    + " file) ask the practice to record, for a run that pulls the GP summary from it.")
    String followPrompts;

    @Option(
            names = "--system",
            paramLabel = "NAME",
            description = "acute-pas, acute-epr: its name in the run's systems file; default: reference-pas,"
                    + " reference-epr.")
    String system;

    @Option(
            names = "--client-id",
            description = "Client for its token at --testbed (client credentials); default: acute-integration for"
                    + " acute-pas and acute-epr, gp-clinical-system for gp-practice.")
    String clientId;

    @Option(names = "--client-secret", description = "That client's secret; default: the synthetic realm's.")
    String clientSecret;

    @Override
    public Integer call() throws Exception {
        Fault fault;
        try {
            fault = Fault.named(faulty);
        } catch (IllegalArgumentException e) {
            System.err.println("--faulty: " + e.getMessage());
            return TestbedCommand.BAD_INPUT;
        }
        return switch (role) {
            case "gp-practice" -> gpPractice(fault, System.out);
            case "ambulance-service" -> ambulanceService(fault, System.out);
            case "acute-pas" -> acutePas(fault, System.out);
            case "acute-epr" -> acuteEpr(fault, System.out);
            default -> {
                System.err.println("Unknown ROLE '" + role + "'; allowed: " + String.join(", ", ROLES));
                yield TestbedCommand.BAD_INPUT;
            }
        };
    }

    private int gpPractice(Fault fault, PrintStream out) throws InterruptedException {
        ReferenceGpSystem gp = new ReferenceGpSystem(port, fault, lateDelay).listeningForMllpOn(mllpPort);
        try {
            if (seed == null) {
                gp.seedDefault();
            } else {
                gp.seed(Files.readString(seed));
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("--seed " + seed + ": not a JSON Bundle of resources it keeps: " + e.getMessage());
            return TestbedCommand.BAD_INPUT;
        }
        try {
            gp.start();
        } catch (IllegalStateException e) {
            System.err.println("--port " + port + ": " + e.getMessage());
            return TestbedCommand.BAD_INPUT;
        } catch (java.io.UncheckedIOException e) {
            System.err.println("--mllp-port " + mllpPort + ": " + e.getMessage());
            return TestbedCommand.BAD_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gp.close();
            stopped.countDown();
        }));
        if (meshMailbox != null) {
            TokenClient tokens = tokens();
            String client = client("gp-clinical-system");
            gp.pollingMesh(testbed, () -> tokens.forClient(client, secret(client)), meshMailbox);
        }
        if (followPrompts != null) {
            TokenClient tokens = tokens();
            String client = client("gp-clinical-system");
            gp.followingPrompts(testbed, () -> tokens.forClient(client, secret(client)), followPrompts, out::println);
        }
        out.println("Reference GP practice system" + (fault == Fault.NONE ? "" : " (faulty: " + fault + ")") + " at "
                + gp.baseUrl() + ", MLLP " + gp.mllpAddress()
                + (meshMailbox == null ? "" : ", polling MESH mailbox " + meshMailbox + " at " + testbed)
                + (followPrompts == null ? "" : ", following the prompts for " + followPrompts + " at " + testbed)
                + " — Ctrl-C stops it");
        stopped.await();
        return TestbedCommand.PASSED;
    }

    private int ambulanceService(Fault fault, PrintStream out) throws InterruptedException {
        ReferenceBarsReceiver ambulance = new ReferenceBarsReceiver(port, fault, lateDelay);
        try {
            ambulance.start();
        } catch (IllegalStateException e) {
            System.err.println("--port " + port + ": " + e.getMessage());
            return TestbedCommand.BAD_INPUT;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ambulance.close();
            stopped.countDown();
        }));
        out.println("Reference ambulance service system" + (fault == Fault.NONE ? "" : " (faulty: " + fault + ")")
                + " at " + ambulance.baseUrl() + " ($process-message) — Ctrl-C stops it");
        stopped.await();
        return TestbedCommand.PASSED;
    }

    private int acutePas(Fault fault, PrintStream out) throws IOException {
        int colon = mllp.lastIndexOf(':');
        int mllpPort;
        try {
            mllpPort = Integer.parseInt(mllp.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            System.err.println("--mllp must be HOST:PORT, was " + mllp);
            return TestbedCommand.BAD_INPUT;
        }
        if (colon <= 0) {
            System.err.println("--mllp must be HOST:PORT, was " + mllp);
            return TestbedCommand.BAD_INPUT;
        }
        ReferencePas pas;
        try {
            pas = new ReferencePas(mllp.substring(0, colon), mllpPort, fault);
        } catch (IllegalArgumentException e) {
            System.err.println("--faulty: " + e.getMessage());
            return TestbedCommand.BAD_INPUT;
        }
        TokenClient tokens = tokens();
        String client = client("acute-integration");
        Runtime.getRuntime().addShutdownHook(new Thread(pas::stop));
        try (pas) {
            pas.reportingTo(out::println)
                    .follow(
                            testbed,
                            () -> tokens.forClient(client, secret(client)),
                            system == null ? "reference-pas" : system);
        }
        return TestbedCommand.PASSED;
    }

    private int acuteEpr(Fault fault, PrintStream out) {
        ReferenceAcuteEpr epr;
        try {
            epr = new ReferenceAcuteEpr(URI.create(testbed.toString().replaceAll("/+$", "") + "/fhir"), fault);
        } catch (IllegalArgumentException e) {
            System.err.println("--faulty: " + e.getMessage());
            return TestbedCommand.BAD_INPUT;
        }
        TokenClient tokens = tokens();
        String client = client("acute-integration");
        Runtime.getRuntime().addShutdownHook(new Thread(epr::stop));
        try (epr) {
            epr.reportingTo(out::println)
                    .follow(
                            testbed,
                            () -> tokens.forClient(client, secret(client)),
                            system == null ? "reference-epr" : system);
        }
        return TestbedCommand.PASSED;
    }

    private TokenClient tokens() {
        return new TokenClient(URI.create(testbed.toString().replaceAll("/+$", "") + "/realms/ldr-testbed"));
    }

    /** The client given, else the role's own in the synthetic realm. */
    private String client(String roleDefault) {
        return clientId == null ? roleDefault : clientId;
    }

    /** The secret given, else the synthetic realm's for that client. */
    private String secret(String client) {
        return clientSecret == null ? client + "-synthetic-secret" : clientSecret;
    }
}
