package org.ldrtestbed.scenarios;

import ca.uhn.fhir.context.FhirContext;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.conformance.ConformanceCheck;
import org.ldrtestbed.scenarios.conformance.ConformanceReport;
import org.ldrtestbed.scenarios.conformance.ConformanceReportWriter;
import org.ldrtestbed.scenarios.conformance.FhirValidation;
import org.ldrtestbed.scenarios.conformance.IgPackages;
import org.ldrtestbed.scenarios.conformance.KeptSessions;
import org.ldrtestbed.scenarios.conformance.PromptListener;
import org.ldrtestbed.scenarios.conformance.ReferenceRoles;
import org.ldrtestbed.scenarios.conformance.ReferenceSystems;
import org.ldrtestbed.scenarios.conformance.SupplierSession;
import org.ldrtestbed.scenarios.conformance.SystemsFile;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.conformance.SystemsLoader;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.engine.AdminApi;
import org.ldrtestbed.scenarios.engine.JourneyRunner;
import org.ldrtestbed.scenarios.engine.RunSettings;
import org.ldrtestbed.scenarios.engine.StepProgress;
import org.ldrtestbed.scenarios.engine.TestbedConnection;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.ldrtestbed.scenarios.report.ConsoleReport;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code testbed conform --systems FILE}: replays journeys with suppliers' systems in their organisations' places
 * (the systems file's bindings) and writes each system's conformance report.
 */
@Command(
        name = "conform",
        mixinStandardHelpOptions = true,
        description = "Replay journeys with systems under test in organisations' places (a systems file) and write"
                + " the conformance report: per system, capability and check, PASS / FAIL / BLOCKED / NOT_TESTED."
                + " Exits 1 on any FAIL, or when a system was not tested at all.")
final class ConformCommand implements Callable<Integer> {

    private static final DateTimeFormatter SESSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Option(
            names = "--systems",
            required = true,
            paramLabel = "NAME|FILE",
            description = "The systems file: a shipped name (dot-reference) or a .systems.yaml file.")
    String systems;

    @Option(
            names = "--journey",
            paramLabel = "J",
            description = "Journey to replay (id or file; repeatable); default: the systems file's journeys.")
    List<String> journeys = List.of();

    @Option(
            names = "--faulty",
            paramLabel = "[SYSTEM=]KIND",
            description = "Make a reference system misbehave (repeatable): KIND for every reference system it applies"
                    + " to, SYSTEM=KIND for one. Kinds: none, wrong-patient, invalid, silence, 5xx, late.")
    List<String> faults = List.of();

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            description =
                    "How long a step waits for a system under test to send (ISO-8601); default: ${DEFAULT-VALUE}.",
            defaultValue = "PT30S")
    Duration patience;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "FHIR base URL of a running testbed; default: boot the embedded one.")
    URI server;

    @Option(
            names = "--mllp",
            paramLabel = "URI",
            description = "The testbed's MLLP address (mllp://host:port); default: the --server host, port 2575.")
    URI mllp;

    @Option(
            names = "--ig",
            paramLabel = "FILE.tgz",
            description = "A FHIR package (NPM .tgz, e.g. UK Core) whose profiles validation reads too (repeatable).")
    List<Path> igPackages = List.of();

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            description = "Where reports go (a folder per session); default: ${DEFAULT-VALUE}.",
            defaultValue = "testbed-reports")
    Path reportDir;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        SystemsFile file;
        try {
            file = new SystemsLoader().find(systems).orElse(null);
        } catch (JourneyFormatException e) {
            return TestbedCommand.Run.notValid("systems file", e);
        }
        if (file == null) {
            System.err.println("No systems file '" + systems + "' (neither a shipped name nor a .systems.yaml file).");
            return TestbedCommand.BAD_INPUT;
        }
        List<SystemBinding> bound;
        try {
            bound = withFaults(file.systems());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return TestbedCommand.BAD_INPUT;
        }
        List<String> names = journeys.isEmpty() ? file.journeys() : journeys;
        if (names.isEmpty()) {
            System.err.println(file.file() + " names no journeys: give --journey J");
            return TestbedCommand.BAD_INPUT;
        }
        if (!CheckCommand.fitToRun(names, null, System.err)) {
            return TestbedCommand.BAD_INPUT;
        }
        List<Journey> loaded = new ArrayList<>();
        for (String name : names) {
            Journey journey;
            try {
                journey = new JourneyCatalogue().find(name).orElse(null);
            } catch (JourneyFormatException e) {
                return TestbedCommand.Run.notValid("journey file", e);
            }
            if (journey == null) {
                System.err.println("No journey '" + name + "'.");
                return TestbedCommand.BAD_INPUT;
            }
            loaded.add(journey);
        }
        FhirValidation validation;
        try {
            validation = new FhirValidation(FhirContext.forR4Cached(), igPackages);
        } catch (IgPackages.NotAPackageException e) {
            System.err.println("--ig " + e.getMessage());
            return TestbedCommand.BAD_INPUT;
        }
        RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");
        if (server != null) {
            TestbedConnection connection = TestbedConnection.forTestbed(server.toString(), realm.realm());
            return conform(
                    file, bound, loaded, mllp == null ? connection : connection.withMllp(mllp), realm, validation, out);
        }
        Path data = Files.createTempDirectory("ldr-testbed-");
        try (EmbeddedTestbed testbed = TestbedCommand.Run.boot(data, TestbedCommand.Run.QUIET, out)) {
            return conform(file, bound, loaded, testbed.connection(), testbed.realm(), validation, out);
        } finally {
            TestbedCommand.Run.deleteQuietly(data);
        }
    }

    private int conform(
            SystemsFile file,
            List<SystemBinding> bound,
            List<Journey> journeys,
            TestbedConnection connection,
            RealmDefinition realm,
            FhirValidation validation,
            PrintStream out)
            throws Exception {
        Instant started = Instant.now();
        // With a random tail: two CI jobs of one systems file may start in the same second.
        String session = "conform-" + file.name() + "-" + SESSION_TIME.format(started) + "-"
                + java.util.HexFormat.of()
                        .toHexDigits(
                                java.util.concurrent.ThreadLocalRandom.current().nextInt(), 8);
        List<PromptListener> listeners = new ArrayList<>();
        listeners.add(p -> out.println("  WAITING for " + p.system() + ": " + p.text()));
        try (ReferenceSystems references = ReferenceSystems.start(bound, connection, listeners::add, out)) {
            SupplierSession supplier = new SupplierSession(
                    references.systems(),
                    FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION),
                    validation,
                    patience,
                    listeners,
                    Clock.systemUTC());
            JourneyRunner runner = new JourneyRunner(
                            FhirContext.forR4Cached(), connection, realm, Set.of(), RunSettings.FULL)
                    .withProgress(StepProgress.printingTo(out))
                    .withSupplierMode(supplier);
            Path dir = reportDir.resolve(session).toAbsolutePath();
            List<ConformanceReport.JourneyRun> runs = new ArrayList<>();
            for (Journey journey : journeys) {
                out.printf(
                        "Replaying %s with %s in their organisations' places%n",
                        journey.id(),
                        references.systems().stream().map(SystemBinding::name).toList());
                JourneyResult result = runner.run(journey);
                new ConsoleReport().print(result, out);
                Path page = new ReportWriter().write(result, dir.resolve(result.runId()));
                runs.add(new ConformanceReport.JourneyRun(
                        journey.id(),
                        result.runId(),
                        result.passed(),
                        dir.relativize(page).toString()));
            }
            ConformanceReport report = ConformanceReport.of(
                    session,
                    file,
                    references.systems(),
                    connection.fhirBase().toString(),
                    started,
                    Duration.between(started, Instant.now()),
                    runs,
                    supplier.checks());
            print(report, out);
            Path html = new ConformanceReportWriter().write(report, dir);
            out.printf(
                    "Conformance report: %s (also %s, %s)%n",
                    html, ConformanceReportWriter.JSON, ConformanceReportWriter.JUNIT);
            // Kept on a running testbed only: the embedded one's store is deleted when the command ends.
            Optional<AdminApi> admin = server == null
                    ? Optional.empty()
                    : AdminApi.asAdministrator(connection, realm, HttpClient.newHttpClient());
            if (admin.isPresent()) {
                out.println(new KeptSessions(admin.get())
                        .keep(session, Files.readString(dir.resolve(ConformanceReportWriter.JSON))));
            }
            return report.passed() ? TestbedCommand.PASSED : TestbedCommand.ASSERTIONS_FAILED;
        }
    }

    private static void print(ConformanceReport report, PrintStream out) {
        out.println();
        out.printf("Conformance (%s): %s%n", report.systemsFile(), report.verdict());
        for (ConformanceReport.SystemReport s : report.systems()) {
            out.printf(
                    "  %s in %s's place%s: %s%n",
                    s.name(),
                    s.organisation(),
                    s.fault() == null || s.fault().equals("none") ? "" : " (fault " + s.fault() + ")",
                    s.verdict());
            for (ConformanceReport.CapabilityReport c : s.capabilities()) {
                out.printf("    capability %-15s %s%n", c.capability(), c.verdict());
                for (ConformanceCheck k : c.checks()) {
                    out.printf(
                            "      %-10s %-26s %-16s %-15s %s%n",
                            k.verdict(), k.step() == null ? "-" : k.step(), k.flow(), k.check(), k.reason());
                }
            }
        }
    }

    /** The systems with {@code --faulty} applied: to the one named, or to every reference system the fault fits. */
    private List<SystemBinding> withFaults(List<SystemBinding> systems) {
        Map<String, SystemBinding> byName = new LinkedHashMap<>();
        systems.forEach(s -> byName.put(s.name(), s));
        for (String fault : faults) {
            String[] parts = fault.split("=", 2);
            String kind = parts[parts.length - 1];
            if (!ReferenceRoles.FAULTS.contains(kind)) {
                throw new IllegalArgumentException(
                        "--faulty " + fault + ": no fault '" + kind + "' (known: " + ReferenceRoles.FAULTS + ")");
            }
            if (parts.length == 2) {
                SystemBinding s = byName.get(parts[0]);
                if (s == null || s.reference() == null) {
                    throw new IllegalArgumentException("--faulty " + fault + ": no reference system '" + parts[0]
                            + "' in the systems file (reference systems: "
                            + systems.stream()
                                    .filter(x -> x.reference() != null)
                                    .map(SystemBinding::name)
                                    .toList()
                            + ")");
                }
                if (!ReferenceRoles.FAULTS_OF.get(s.reference().role()).contains(kind)) {
                    throw new IllegalArgumentException("--faulty " + fault + ": the "
                            + s.reference().role() + " reference system cannot show " + kind);
                }
                byName.put(s.name(), s.faulty(kind));
            } else {
                boolean applied = false;
                for (SystemBinding s : List.copyOf(byName.values())) {
                    if (s.reference() != null
                            && ReferenceRoles.FAULTS_OF
                                    .get(s.reference().role())
                                    .contains(kind)) {
                        byName.put(s.name(), s.faulty(kind));
                        applied = true;
                    }
                }
                if (!applied) {
                    throw new IllegalArgumentException("--faulty " + fault + ": no reference system here can show it");
                }
            }
        }
        return List.copyOf(byName.values());
    }
}
