package org.ldrtestbed.scenarios;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.identity.contract.TokenRequestException;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.bench.AccessBenchmark;
import org.ldrtestbed.scenarios.bench.BenchedFlow;
import org.ldrtestbed.scenarios.bench.FlowBenchmark;
import org.ldrtestbed.scenarios.bench.ReplayBenchmark;
import org.ldrtestbed.scenarios.deployment.DeploymentProfile;
import org.ldrtestbed.scenarios.deployment.Deployments;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code testbed} command line: replays journeys and reports which capabilities work. */
@Command(
        name = "testbed",
        mixinStandardHelpOptions = true,
        version = "ldr-testbed 0.1",
        description = "Replays patient journeys against the shared care record (synthetic data only).",
        subcommands = {
            TestbedCommand.Run.class,
            ConformCommand.class,
            CheckCommand.class,
            AblateCommand.class,
            FlowsCommand.class,
            PopulationCommand.class,
            ReferenceSutCommand.class,
            TestbedCommand.Serve.class,
            TestbedCommand.Bench.class,
            TestbedCommand.BenchAccess.class,
            TestbedCommand.BenchReplay.class,
            TestbedCommand.BenchRecordView.class,
            TestbedCommand.BenchValidation.class,
            TestbedCommand.AuditVerify.class,
            TestbedCommand.ListJourneys.class,
            CommandLine.HelpCommand.class
        })
public final class TestbedCommand {

    /** Exit codes. */
    static final int PASSED = 0;

    static final int ASSERTIONS_FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int UNREACHABLE = 3;
    static final int INTERNAL_ERROR = 4;

    /** Shown under every command's --help: scripts and CI branch on these. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code scenarios/testbed} runs it: exit codes in every help, a bug is one line and 4. */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new TestbedCommand());
        explainExitCodes(line);
        line.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr()
                    .println("testbed " + cl.getCommandName() + ": internal error ("
                            + e.getClass().getSimpleName() + "): " + e.getMessage()
                            + " — please report it; TESTBED_DEBUG=1 prints the stack trace");
            if ("1".equals(System.getenv("TESTBED_DEBUG"))) {
                e.printStackTrace(cl.getErr());
            }
            return INTERNAL_ERROR;
        });
        return line;
    }

    private static void explainExitCodes(CommandLine line) {
        line.getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(EXIT_CODES);
        line.getSubcommands().values().forEach(TestbedCommand::explainExitCodes);
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new java.util.LinkedHashMap<>();
        codes.put(String.valueOf(PASSED), "passed: every assertion held (or the command did its work)");
        codes.put(String.valueOf(ASSERTIONS_FAILED), "an assertion failed (or ablation found a tag that lies)");
        codes.put(
                String.valueOf(BAD_INPUT),
                "bad input: a journey, profile, option, flow or file refused, before any" + " boot");
        codes.put(String.valueOf(UNREACHABLE), "the server or identity provider could not be reached");
        codes.put(String.valueOf(INTERNAL_ERROR), "internal error of the testbed itself (a bug; one line says what)");
        return java.util.Collections.unmodifiableMap(codes);
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Replay a journey (or, with --all, every shipped journey) and write its report.")
    static final class Run implements Callable<Integer> {

        @Parameters(
                paramLabel = "JOURNEY",
                arity = "0..1",
                description = "Journey id (e.g. dot) or path to a .journey.yaml file.")
        String journey;

        @Option(
                names = "--all",
                description = "Replay every shipped journey on one testbed and write the capability × journey"
                        + " matrix beside their reports.")
        boolean all;

        @Option(
                names = "--server",
                paramLabel = "URL",
                description = "FHIR base URL of a running server; default: boot the embedded testbed.")
        URI server;

        @Option(
                names = "--issuer",
                paramLabel = "URL",
                description =
                        "OIDC issuer (realm URL) for the actors' tokens, e.g. a Keycloak started by"
                                + " identity/keycloak/start; the embedded testbed then trusts it too. Default: the testbed's own.")
        URI issuer;

        @Option(
                names = "--mllp",
                paramLabel = "URI",
                description =
                        "Where the server takes HL7v2 over MLLP (mllp://host:port); default: the --server host, port 2575.")
        URI mllp;

        @Option(
                names = "--realm-file",
                paramLabel = "FILE",
                description = "Keycloak realm export naming the actors; the embedded testbed serves it (unless --issuer"
                        + " names another identity provider). Default: the testbed's own realm.")
        Path realmFile;

        @Option(
                names = "--disable-flow",
                paramLabel = "CODE",
                description = "Switch a flow off for this run only (repeatable), to see what breaks.")
        List<String> disabledFlows = List.of();

        @Option(
                names = "--disable-capability",
                paramLabel = "X",
                description = "Switch off every flow of capability X (a-j, record-sharing) for this run (repeatable).")
        List<String> disabledCapabilities = List.of();

        @Option(
                names = "--deployment",
                paramLabel = "NAME|FILE",
                description = "Deployment profile for this run: a shipped name (full, oxfordshire-2017-07) or a"
                        + " .deployment.yaml file; default: full (everything live).")
        String deployment;

        @Option(
                names = "--report-dir",
                paramLabel = "DIR",
                description = "Where reports go (a folder per run); default: ${DEFAULT-VALUE}.",
                defaultValue = "testbed-reports")
        Path reportDir;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "Embedded testbed's store; default: a fresh temporary folder, deleted afterwards.")
        Path dataDir;

        /** The command prints its own progress; the embedded server's INFO logs would drown the table. */
        static final Map<String, Object> QUIET = Map.of(
                "logging.level.org.ldrtestbed", "WARN",
                "logging.level.org.springframework.boot.web.embedded", "WARN");

        @Override
        public Integer call() throws Exception {
            PrintStream out = System.out;
            if (all == (journey != null)) {
                System.err.println("Name one JOURNEY, or --all for every shipped journey.");
                return BAD_INPUT;
            }
            // The check finds what a boot would trip on later (or never): before anything starts.
            if (!(all
                    ? CheckCommand.everyShippedJourneyFitToRun(realmFile, System.err)
                    : CheckCommand.fitToRun(List.of(journey), realmFile, System.err))) {
                return BAD_INPUT;
            }
            Journey loaded;
            try {
                // With --all every journey is loaded now, so a bad one is refused before anything starts.
                loaded = all
                        ? new JourneyCatalogue().all().getFirst()
                        : new JourneyCatalogue().find(journey).orElse(null);
            } catch (JourneyFormatException e) {
                return notValid("journey file", e);
            }
            if (loaded == null) {
                System.err.println("No journey '" + journey + "'. Known journeys: "
                        + new JourneyCatalogue().all().stream().map(Journey::id).toList());
                return BAD_INPUT;
            }
            RunSettings settings;
            try {
                settings = runSettings();
            } catch (JourneyFormatException e) {
                return notValid("deployment profile", e);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return BAD_INPUT;
            }
            RealmDefinition realm;
            try {
                realm = realmFile == null
                        ? RealmFiles.load("classpath:identity/ldr-testbed-realm.json")
                        : RealmFiles.load("file:" + realmFile.toAbsolutePath());
            } catch (RuntimeException e) {
                System.err.println(realmFile + ": not a readable realm file: " + e.getMessage());
                return BAD_INPUT;
            }
            // A journey's own people must fit the realm and the identity provider before anything boots.
            for (Journey j : all ? new JourneyCatalogue().all() : List.of(loaded)) {
                var problem = org.ldrtestbed.scenarios.engine.JourneyPeopleCheck.problem(j, realm, issuer);
                if (problem.isPresent()) {
                    System.err.println(problem.get());
                    return BAD_INPUT;
                }
            }
            if (server != null) {
                TestbedConnection connection = TestbedConnection.forTestbed(server.toString(), realm.realm());
                if (issuer != null) {
                    connection =
                            new TestbedConnection(server, issuer, TestbedConnection.DEFAULT_CLIENT, connection.mllp());
                }
                if (mllp != null) {
                    connection = connection.withMllp(mllp);
                }
                return replay(loaded, connection, realm, settings, out);
            }
            Path data = dataDir != null ? dataDir : Files.createTempDirectory("ldr-testbed-");
            Map<String, Object> properties = new java.util.LinkedHashMap<>(QUIET);
            if (issuer != null) {
                // The embedded testbed trusts that identity provider (e.g. a real Keycloak) instead of its own.
                properties.putAll(EmbeddedTestbed.externalIssuer(issuer));
            } else if (realmFile != null) {
                // The embedded identity provider serves that realm's users (an external one has its own).
                properties.put("testbed.identity.realm-file", "file:" + realmFile.toAbsolutePath());
            }
            try (EmbeddedTestbed testbed = boot(data, properties, out)) {
                TestbedConnection connection = testbed.connection();
                if (issuer != null) {
                    connection = new TestbedConnection(
                            URI.create(testbed.fhirBase()), issuer, TestbedConnection.DEFAULT_CLIENT, testbed.mllp());
                }
                // Without --issuer the embedded testbed serves the realm given (its own by default); with it, the
                // realm file still names the actors, as with --server.
                return replay(loaded, connection, issuer == null ? testbed.realm() : realm, settings, out);
            } finally {
                if (dataDir == null) {
                    deleteQuietly(data);
                }
            }
        }

        /** The run's own switches: flows and capabilities off, and the deployment profile (refused if unknown). */
        RunSettings runSettings() {
            FlowCatalogue catalogue = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
            DeploymentProfile profile = null;
            if (deployment != null) {
                Deployments deployments = new Deployments();
                profile = deployments
                        .find(deployment)
                        .orElseThrow(() -> new IllegalArgumentException("No deployment profile '" + deployment
                                + "' (neither a shipped name nor a .deployment.yaml file). Shipped: "
                                + deployments.names()));
            }
            return RunSettings.of(
                    new LinkedHashSet<>(disabledFlows), new LinkedHashSet<>(disabledCapabilities), profile, catalogue);
        }

        private int replay(
                Journey journey,
                TestbedConnection connection,
                RealmDefinition realm,
                RunSettings settings,
                PrintStream out)
                throws InterruptedException {
            JourneyRunner runner = new JourneyRunner(FhirContext.forR4Cached(), connection, realm, Set.of(), settings)
                    .withProgress(StepProgress.printingTo(out));
            if (all) {
                return new AllJourneys(reportDir, out).replay(new JourneyCatalogue().all(), runner::run);
            }
            JourneyResult result;
            try {
                result = runner.run(journey);
            } catch (org.ldrtestbed.scenarios.engine.PeopleRefusedException e) {
                System.err.println(
                        journey.source().error("/people", e.getMessage()).getMessage());
                return BAD_INPUT;
            } catch (RuntimeException e) {
                System.err.println(
                        "Cannot replay " + journey.id() + " against " + connection.fhirBase() + ": " + e.getMessage());
                return UNREACHABLE;
            }
            new ConsoleReport().print(result, out);
            Path dir = reportDir.resolve(result.runId()).toAbsolutePath();
            Path html = new ReportWriter().write(result, dir);
            out.printf("Report: %s (also %s, %s)%n", html, ReportWriter.JSON, ReportWriter.JUNIT);
            return result.passed() ? PASSED : ASSERTIONS_FAILED;
        }

        /** Says why a journey file or a profile was refused, a problem a line; the exit code for that. */
        static int notValid(String what, JourneyFormatException e) {
            System.err.println("The " + what + " is not valid:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return BAD_INPUT;
        }

        /** The embedded testbed on that store, booted with these properties, saying so and how long it took. */
        static EmbeddedTestbed boot(Path data, Map<String, Object> properties, PrintStream out) {
            out.printf("Booting the embedded testbed (HAPI FHIR JPA R4, H2 store in %s)...%n", data);
            long t0 = System.nanoTime();
            EmbeddedTestbed testbed = EmbeddedTestbed.start(data, Set.of(), properties);
            out.printf("Testbed up at %s in %.1f s%n", testbed.fhirBase(), (System.nanoTime() - t0) / 1e9);
            return testbed;
        }

        static void deleteQuietly(Path dir) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary folder is harmless.
            }
        }
    }

    @Command(
            name = "serve",
            mixinStandardHelpOptions = true,
            description =
                    "Run the testbed server until stopped (Ctrl-C), for suppliers' systems and for --server runs.")
    static final class Serve implements Callable<Integer> {

        @Option(names = "--port", description = "HTTP port; default: ${DEFAULT-VALUE}.", defaultValue = "8080")
        int port;

        @Option(
                names = "--mllp-port",
                description = "Port hospital systems send HL7v2 to over MLLP; default: ${DEFAULT-VALUE}.",
                defaultValue = "2575")
        int mllpPort;

        @Option(
                names = "--bind",
                paramLabel = "ADDRESS",
                description = "Interface HTTP and MLLP listen on, e.g. 0.0.0.0 for every one; default: ${DEFAULT-VALUE}"
                        + " (this machine only).",
                defaultValue = "127.0.0.1")
        String bind;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                description = "Store and broker journal; kept between runs. Default: ${DEFAULT-VALUE}.",
                defaultValue = "testbed-data")
        Path dataDir;

        @Option(names = "--disable-flow", paramLabel = "CODE", description = "Switch a flow off (repeatable).")
        List<String> disabledFlows = List.of();

        @Option(
                names = "--broker",
                paramLabel = "URL",
                description = "An external Artemis broker for the flows' queues, e.g. tcp://broker:61616;"
                        + " default: the embedded one, journal in the data folder.")
        String broker;

        @Option(
                names = "--issuer",
                paramLabel = "URL",
                description = "Trust this OIDC issuer (realm URL) instead of serving the embedded identity provider,"
                        + " e.g. http://127.0.0.1:8180/realms/ldr-testbed from identity/keycloak/start.")
        URI issuer;

        @Option(
                names = "--postgres",
                paramLabel = "JDBC-URL",
                description = "Store in this PostgreSQL database, e.g. jdbc:postgresql://127.0.0.1:5432/ldr_testbed,"
                        + " instead of H2 in the data folder (which still holds the broker journal). User and"
                        + " password: TESTBED_DB_USER (default postgres) and TESTBED_DB_PASSWORD.")
        String postgres;

        @Option(
                names = "--realm-file",
                paramLabel = "FILE",
                description = "Serve this realm (users, clients, secrets) from the embedded identity provider instead"
                        + " of the shipped one, e.g. the shipped realm with your own system's client added.")
        Path realmFile;

        @Option(
                names = "--validation",
                paramLabel = "MODE",
                description = "Validate every client's writes: off, warn (written, the errors in the X-Ldr-Validation"
                        + " header) or reject (422, nothing written); default: ${DEFAULT-VALUE}.",
                defaultValue = "off")
        String validation;

        @Option(
                names = "--validate",
                paramLabel = "CLIENT=MODE",
                description = "Validate one client's writes in this mode (repeatable), e.g. acute-integration=reject.")
        Map<String, String> validateSources = new java.util.LinkedHashMap<>();

        private static final java.util.Set<String> VALIDATION_MODES = java.util.Set.of("off", "warn", "reject");

        /** The server's Spring properties for these options. */
        Map<String, Object> properties() {
            Map<String, Object> properties = new java.util.LinkedHashMap<>();
            properties.put("server.port", port);
            properties.put("testbed.routes.mllp-port", mllpPort);
            properties.put("server.address", bind);
            properties.put("testbed.routes.mllp-address", bind);
            if (broker != null) {
                properties.putAll(EmbeddedTestbed.externalBroker(broker));
            }
            if (issuer != null) {
                properties.putAll(EmbeddedTestbed.externalIssuer(issuer));
            }
            if (postgres != null) {
                // The server's own PostgreSQL profile (dialect, driver, TESTBED_DB_USER/PASSWORD), at this URL.
                properties.put("spring.profiles.active", "postgres");
                properties.put("spring.datasource.url", postgres);
            }
            if (realmFile != null) {
                properties.put("testbed.identity.realm-file", "file:" + realmFile.toAbsolutePath());
            }
            properties.put("testbed.fhir-server.validation.default", validation);
            validateSources.forEach(
                    (client, mode) -> properties.put("testbed.fhir-server.validation.sources." + client, mode));
            return properties;
        }

        @Override
        public Integer call() throws InterruptedException {
            if (postgres != null && !postgres.startsWith("jdbc:postgresql:")) {
                System.err.println("--postgres needs a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database), not "
                        + postgres);
                return BAD_INPUT;
            }
            List<String> modes = new java.util.ArrayList<>(List.of(validation));
            modes.addAll(validateSources.values());
            for (String mode : modes) {
                if (!VALIDATION_MODES.contains(mode)) {
                    System.err.println("a validation mode is off, warn or reject, not " + mode);
                    return BAD_INPUT;
                }
            }
            if (realmFile != null) {
                try {
                    org.ldrtestbed.identity.contract.RealmFiles.load("file:" + realmFile.toAbsolutePath());
                } catch (RuntimeException e) {
                    System.err.println(realmFile + ":1:1: (realm): not a readable realm file: " + e.getMessage());
                    return BAD_INPUT;
                }
            }
            EmbeddedTestbed testbed = EmbeddedTestbed.start(dataDir, new LinkedHashSet<>(disabledFlows), properties());
            String root = testbed.fhirBase().replaceAll("/fhir$", "");
            String identity = issuer != null
                    ? "trusting tokens from " + issuer
                    : "identity provider at " + root + "/realms/"
                            + testbed.realm().realm();
            String store =
                    postgres != null ? postgres : dataDir.toAbsolutePath().toString();
            System.out.printf(
                    "Testbed serving FHIR at %s, %s, HL7v2 over MLLP at %s (store: %s). Ctrl-C stops it.%n",
                    testbed.fhirBase(), identity, testbed.mllp(), store);
            // Spring's shutdown hook closes the testbed on Ctrl-C or SIGTERM; until then this thread just waits.
            new java.util.concurrent.CountDownLatch(1).await();
            return PASSED;
        }
    }

    @Command(
            name = "bench",
            mixinStandardHelpOptions = true,
            description = "Benchmark each flow against writing the same filings directly.")
    static final class Bench implements Callable<Integer> {

        @Option(
                names = "--flow",
                paramLabel = "CODE",
                description = "Flow to measure (repeatable); default: every flow the benchmark can drive.")
        List<String> flows = List.of();

        @Option(
                names = "--messages",
                description = "Messages per phase; default: ${DEFAULT-VALUE}.",
                defaultValue = "200")
        int messages;

        @Option(
                names = "--senders",
                description = "Concurrent senders for throughput; default: ${DEFAULT-VALUE}.",
                defaultValue = "4")
        int senders;

        @Option(
                names = "--warm-up",
                description = "Unmeasured messages first; default: ${DEFAULT-VALUE}.",
                defaultValue = "30")
        int warmUp;

        @Override
        public Integer call() throws Exception {
            List<org.ldrtestbed.scenarios.bench.FlowBenchmark.Result> results = new java.util.ArrayList<>();
            List<String> known =
                    FlowBenchmark.FLOWS.stream().map(BenchedFlow::code).toList();
            if (!known.containsAll(flows)) {
                System.err.println("The benchmark drives these flows: " + known);
                return BAD_INPUT;
            }
            Path data = Files.createTempDirectory("ldr-testbed-bench-");
            System.out.printf("Booting the embedded testbed (H2 store in %s)...%n", data);
            try (EmbeddedTestbed testbed = EmbeddedTestbed.start(data, Set.of(), Run.QUIET)) {
                FlowBenchmark bench = new FlowBenchmark(testbed.connection(), testbed.realm());
                for (var flow : FlowBenchmark.FLOWS) {
                    if (flows.isEmpty() || flows.contains(flow.code())) {
                        results.add(bench.run(flow, messages, senders, warmUp, System.out));
                    }
                }
                FlowBenchmark.print(results, "embedded testbed, H2 store", System.out);
                return PASSED;
            } finally {
                Run.deleteQuietly(data);
            }
        }
    }

    @Command(
            name = "bench-access",
            mixinStandardHelpOptions = true,
            description = "Measure what the access policy costs reads, searches and writes: the same work on two"
                    + " testbeds side by side, access control on and off, measured alternately.")
    static final class BenchAccess implements Callable<Integer> {

        @Option(
                names = "--iterations",
                description = "Measured requests of each operation, one client thread, then as many again"
                        + " concurrently; default: ${DEFAULT-VALUE}.",
                defaultValue = "300")
        int iterations;

        @Option(
                names = "--warm-up",
                description = "Unmeasured requests of each operation first; default: ${DEFAULT-VALUE}.",
                defaultValue = "50")
        int warmUp;

        @Option(
                names = "--threads",
                description = "Client threads of the concurrent run; default: ${DEFAULT-VALUE}.",
                defaultValue = "4")
        int threads;

        @Option(
                names = "--observations",
                description = "Observations in the searched record (a search returns up to a page of 20);"
                        + " default: ${DEFAULT-VALUE}.",
                defaultValue = "20")
        int observations;

        @Option(
                names = "--conditions",
                description = "Conditions beside them, read by id with the Observations; default: ${DEFAULT-VALUE}.",
                defaultValue = "10")
        int conditions;

        @Override
        public Integer call() throws Exception {
            AccessBenchmark.Settings settings;
            try {
                settings = new AccessBenchmark.Settings(observations, conditions, warmUp, iterations, threads);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return BAD_INPUT;
            }
            PrintStream out = System.out;
            AccessBenchmark bench = new AccessBenchmark(settings);
            Path onData = Files.createTempDirectory("ldr-testbed-bench-access-on-");
            Path offData = Files.createTempDirectory("ldr-testbed-bench-access-off-");
            out.printf(
                    "Booting two embedded testbeds, access control ON (H2 store in %s) and OFF (%s)...%n",
                    onData, offData);
            try (EmbeddedTestbed on = start(onData, true);
                    EmbeddedTestbed off = start(offData, false)) {
                AccessBenchmark.Target onTarget =
                        bench.prepare("access control ON", on.connection(), on.realm(), true, out);
                AccessBenchmark.Target offTarget =
                        bench.prepare("access control OFF", off.connection(), off.realm(), false, out);
                List<AccessBenchmark.Comparison> comparisons = bench.measure(onTarget, offTarget, out);
                String audit = on.auditEvents().isPresent()
                        ? "the audit trail (" + on.auditEvents().getAsLong() + " events written in the run)"
                        : "no audit trail yet (this build writes no AuditEvents)";
                AccessBenchmark.print(
                        comparisons,
                        settings,
                        "two embedded testbeds side by side, H2 stores, measured alternately",
                        "the access policy decides on every entry a read or search returns (role, sensitive labels,"
                                + " legitimate relationship, consent, held entries) and on every write, and " + audit
                                + ". Both: SMART scopes, held entries, input checks, durable commits.",
                        out);
                return PASSED;
            } finally {
                Run.deleteQuietly(onData);
                Run.deleteQuietly(offData);
            }
        }

        private static EmbeddedTestbed start(Path data, boolean accessControl) {
            Map<String, Object> properties = new java.util.LinkedHashMap<>(Run.QUIET);
            properties.putAll(EmbeddedTestbed.accessControl(accessControl));
            return EmbeddedTestbed.start(data, Set.of(), properties);
        }
    }

    @Command(
            name = "bench-replay",
            mixinStandardHelpOptions = true,
            description = "Time a journey's replay: boot the embedded testbed once, replay the journey once unmeasured,"
                    + " then --runs times, and say where the time goes (FHIR calls, waiting for flows, token"
                    + " requests, admin calls, the engine's own work).")
    static final class BenchReplay implements Callable<Integer> {

        @Option(
                names = "--runs",
                description = "Measured replays (after one unmeasured warm-up); default: ${DEFAULT-VALUE}.",
                defaultValue = "10")
        int runs;

        @Option(
                names = "--journey",
                paramLabel = "JOURNEY",
                description = "Journey id or .journey.yaml file; default: ${DEFAULT-VALUE}.",
                defaultValue = "dot")
        String journey;

        @Override
        public Integer call() throws Exception {
            if (runs < 1) {
                System.err.println("--runs must be at least 1");
                return BAD_INPUT;
            }
            if (!CheckCommand.fitToRun(List.of(journey), null, System.err)) {
                return BAD_INPUT;
            }
            Journey loaded;
            try {
                loaded = new JourneyCatalogue().find(journey).orElse(null);
            } catch (JourneyFormatException e) {
                return Run.notValid("journey file", e);
            }
            if (loaded == null) {
                System.err.println("No journey '" + journey + "'. Known journeys: "
                        + new JourneyCatalogue().all().stream().map(Journey::id).toList());
                return BAD_INPUT;
            }
            PrintStream out = System.out;
            Path data = Files.createTempDirectory("ldr-testbed-bench-replay-");
            long t0 = System.nanoTime();
            try (EmbeddedTestbed testbed = Run.boot(data, Run.QUIET, out)) {
                double boot = (System.nanoTime() - t0) / 1e9;
                JourneyRunner runner = new JourneyRunner(
                        FhirContext.forR4Cached(), testbed.connection(), testbed.realm(), Set.of(), RunSettings.FULL);
                ReplayBenchmark.Result result = new ReplayBenchmark(runner).run(loaded, runs, boot, out);
                ReplayBenchmark.print(result, out);
                return result.passed() == runs ? PASSED : ASSERTIONS_FAILED;
            } finally {
                Run.deleteQuietly(data);
            }
        }
    }

    @Command(
            name = "bench-record-view",
            mixinStandardHelpOptions = true,
            description = "Time viewing one large record (Patient/$everything, every page, and a 20-entry search) as"
                    + " three readers, on two testbeds side by side, access control on and off, measured alternately."
                    + " The last line: bench record-view: everything_p99_ms=... search_p99_ms=... ratio=...")
    static final class BenchRecordView implements Callable<Integer> {

        @Option(
                names = "--resources",
                description = "Entries of the record, its Patient included; default: ${DEFAULT-VALUE}.",
                defaultValue = "1000")
        int resources;

        @Option(
                names = "--iterations",
                description = "Measured views of each kind per reader and testbed; default: ${DEFAULT-VALUE}.",
                defaultValue = "100")
        int iterations;

        @Option(
                names = "--warm-up",
                description = "Unmeasured views of each kind per reader and testbed first; default: ${DEFAULT-VALUE}.",
                defaultValue = "20")
        int warmUp;

        @Override
        public Integer call() throws Exception {
            org.ldrtestbed.scenarios.bench.RecordViewBenchmark.Settings settings;
            try {
                settings =
                        new org.ldrtestbed.scenarios.bench.RecordViewBenchmark.Settings(resources, warmUp, iterations);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return BAD_INPUT;
            }
            PrintStream out = System.out;
            var bench = new org.ldrtestbed.scenarios.bench.RecordViewBenchmark(settings);
            Path onData = Files.createTempDirectory("ldr-testbed-bench-record-view-on-");
            Path offData = Files.createTempDirectory("ldr-testbed-bench-record-view-off-");
            out.printf(
                    "Booting two embedded testbeds, access control ON (H2 store in %s) and OFF (%s)...%n",
                    onData, offData);
            try (EmbeddedTestbed on = BenchAccess.start(onData, true);
                    EmbeddedTestbed off = BenchAccess.start(offData, false)) {
                var onTarget = bench.prepare("access control ON", on.connection(), on.realm(), out);
                var offTarget = bench.prepare("access control OFF", off.connection(), off.realm(), out);
                org.ldrtestbed.scenarios.bench.RecordViewBenchmark.print(
                        bench.measure(onTarget, offTarget, out),
                        settings,
                        "two embedded testbeds side by side, H2 stores, measured alternately",
                        out);
                return PASSED;
            } finally {
                Run.deleteQuietly(onData);
                Run.deleteQuietly(offData);
            }
        }
    }

    @Command(
            name = "bench-validation",
            mixinStandardHelpOptions = true,
            description = "Time validating what a system under test sends, per message: a FHIR document (HAPI's"
                    + " instance validator, base R4) and an HL7v2 ADT, each beside only parsing it. The last line:"
                    + " bench validation: fhir_p50_ms=... fhir_ratio=... hl7_p50_ms=... hl7_ratio=...")
    static final class BenchValidation implements Callable<Integer> {

        @Option(
                names = "--iterations",
                description = "Measured runs of each; default: ${DEFAULT-VALUE}.",
                defaultValue = "200")
        int iterations;

        @Option(
                names = "--warm-up",
                description = "Unmeasured runs of each first; default: ${DEFAULT-VALUE}.",
                defaultValue = "50")
        int warmUp;

        @Override
        public Integer call() {
            org.ldrtestbed.scenarios.bench.ValidationBenchmark.Settings settings;
            try {
                settings = new org.ldrtestbed.scenarios.bench.ValidationBenchmark.Settings(warmUp, iterations);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return BAD_INPUT;
            }
            var bench = new org.ldrtestbed.scenarios.bench.ValidationBenchmark(settings);
            org.ldrtestbed.scenarios.bench.ValidationBenchmark.print(bench.measure(System.out), System.out);
            return PASSED;
        }
    }

    @Command(
            name = "audit-verify",
            mixinStandardHelpOptions = true,
            description = "Check a running testbed's audit trail: recompute the hash chain and report every event that"
                    + " was changed or removed. Exit 0 intact, 1 problems found, 3 server unreachable.")
    static final class AuditVerify implements Callable<Integer> {

        @Option(
                names = "--server",
                description = "FHIR base URL of the running server; default: ${DEFAULT-VALUE}.",
                defaultValue = "http://localhost:8080/fhir")
        URI server;

        @Option(names = "--issuer", description = "OIDC issuer (realm URL); default: the server's own realm.")
        URI issuer;

        @Option(
                names = "--user",
                description = "A realm user with the privacy-officer or testbed-admin role; default: ${DEFAULT-VALUE}.",
                defaultValue = "digitallead.okonjo")
        String user;

        @Option(
                names = "--password",
                description = "Its password; default: the synthetic realm's.",
                defaultValue = "synthetic-password")
        String password;

        @Override
        public Integer call() {
            URI realm = issuer != null ? issuer : server.resolve("/realms/ldr-testbed");
            try {
                String token = new TokenClient(realm).forUser("testbed-scenarios", user, password);
                IGenericClient client = FhirContext.forR4Cached().newRestfulGenericClient(server.toString());
                client.registerInterceptor(new BearerTokenAuthInterceptor(token));
                OperationOutcome outcome =
                        client.fetchResourceFromUrl(OperationOutcome.class, server + "/AuditEvent/$verify");
                boolean problems = false;
                for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
                    boolean error = issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR;
                    problems |= error;
                    System.out.println((error ? "PROBLEM  " : "") + issue.getDiagnostics());
                }
                System.out.println(problems ? "Audit trail: NOT intact" : "Audit trail: intact");
                return problems ? ASSERTIONS_FAILED : PASSED;
            } catch (TokenRequestException | FhirClientConnectionException e) {
                System.err.println(
                        "testbed: cannot reach " + server + " or its realm " + realm + ": " + e.getMessage());
                return UNREACHABLE;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the journeys the testbed ships.")
    static final class ListJourneys implements Callable<Integer> {
        @Override
        public Integer call() {
            try {
                for (Journey j : new JourneyCatalogue().all()) {
                    long assertions =
                            j.steps().stream().mapToLong(s -> s.sees().size()).sum();
                    System.out.printf(
                            "%-24s %-70s %3d steps, %3d assertions%n",
                            j.id(), j.title(), j.steps().size(), assertions);
                }
                return PASSED;
            } catch (JourneyFormatException e) {
                e.problems().forEach(p -> System.err.println(p));
                return BAD_INPUT;
            }
        }
    }
}
