package org.ldrtestbed.scenarios;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.ablation.Ablation;
import org.ldrtestbed.scenarios.ablation.Ablation.Outcome;
import org.ldrtestbed.scenarios.ablation.Ablation.Switch;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.engine.JourneyRunner;
import org.ldrtestbed.scenarios.engine.RunSettings;
import org.ldrtestbed.scenarios.engine.TestbedConnection;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code testbed ablate}: one testbed, the journey replayed once with everything on and then once per capability and
 * flow it names with that one switched off (for the run only), each replay judged by {@link Ablation}.
 */
@Command(
        name = "ablate",
        mixinStandardHelpOptions = true,
        description = {
            "Check that a journey's capability and flow tags tell the truth: replay it once with everything on, then"
                    + " once with each capability and each flow it names switched off in turn (for that run only)."
                    + " Reports assertions that failed without being tagged with what was off, and tagged ones that"
                    + " did not fail.",
            "Exit 0 when every switch agrees with the tags, 1 when one does not (or the journey fails with everything"
                    + " on), 2 bad input, 3 server unreachable."
        })
final class AblateCommand implements Callable<Integer> {

    private static final DateTimeFormatter FOLDER_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Parameters(paramLabel = "JOURNEY", description = "Journey id (e.g. dot) or path to a .journey.yaml file.")
    String journey;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "FHIR base URL of a running testbed; default: boot the embedded testbed.")
    URI server;

    @Option(
            names = "--only",
            paramLabel = "CODE",
            description = "Ablate only these capabilities or flows (repeatable); default: every one the journey names.")
    List<String> only = List.of();

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            description = "Where the ablation's folder goes; default: ${DEFAULT-VALUE}.",
            defaultValue = "testbed-reports")
    Path reportDir;

    /**
     * With a flow off, its answers find nothing to answer and are dead-lettered, as they should be: the server's
     * warnings of that would bury the table (the ablation report and the message log keep them).
     */
    private static final java.util.Map<String, Object> QUIETER = quieter();

    private static java.util.Map<String, Object> quieter() {
        java.util.Map<String, Object> properties = new java.util.LinkedHashMap<>(TestbedCommand.Run.QUIET);
        properties.put("logging.level.org.ldrtestbed.routes.FlowRouteConfiguration", "ERROR");
        properties.put("logging.level.ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor", "ERROR");
        return java.util.Map.copyOf(properties);
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!CheckCommand.fitToRun(java.util.List.of(journey), null, System.err)) {
            return TestbedCommand.BAD_INPUT;
        }
        Journey loaded;
        try {
            loaded = new JourneyCatalogue().find(journey).orElse(null);
        } catch (JourneyFormatException e) {
            return TestbedCommand.Run.notValid("journey file", e);
        }
        if (loaded == null) {
            System.err.println("testbed ablate: no journey '" + journey + "' (neither a shipped id nor a"
                    + " .journey.yaml file)");
            return TestbedCommand.BAD_INPUT;
        }
        FlowCatalogue catalogue = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
        Ablation ablation = new Ablation(catalogue);
        List<Switch> switches = ablation.switches(loaded).stream()
                .filter(s -> only.isEmpty() || only.contains(s.code()))
                .toList();
        List<String> unknown = only.stream()
                .filter(c -> switches.stream().noneMatch(s -> s.code().equals(c)))
                .toList();
        if (!unknown.isEmpty()) {
            List<String> named =
                    ablation.switches(loaded).stream().map(Switch::code).toList();
            System.err.println("testbed ablate: " + loaded.id() + " names no capability or flow " + unknown
                    + org.ldrtestbed.scenarios.check.DidYouMean.hint(unknown.getFirst(), named) + " (it names "
                    + named + ")");
            return TestbedCommand.BAD_INPUT;
        }
        if (server != null) {
            RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");
            return ablate(loaded, switches, TestbedConnection.forTestbed(server.toString(), realm.realm()), realm, out);
        }
        Path data = Files.createTempDirectory("ldr-testbed-ablate-");
        try (EmbeddedTestbed testbed = TestbedCommand.Run.boot(data, QUIETER, out)) {
            return ablate(loaded, switches, testbed.connection(), testbed.realm(), out);
        } finally {
            TestbedCommand.Run.deleteQuietly(data);
        }
    }

    private int ablate(
            Journey journey,
            List<Switch> switches,
            TestbedConnection connection,
            RealmDefinition realm,
            PrintStream out)
            throws InterruptedException, IOException {
        Instant started = Instant.now();
        FlowCatalogue catalogue = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
        out.printf(
                "Ablating %s: a replay with everything on, then %d with one switched off (%s)%n",
                journey.id(),
                switches.size(),
                String.join(", ", switches.stream().map(Switch::display).toList()));
        JourneyResult baseline;
        try {
            baseline = replay(journey, RunSettings.FULL, connection, realm);
        } catch (RuntimeException e) {
            System.err.println(
                    "Cannot replay " + journey.id() + " against " + connection.fhirBase() + ": " + e.getMessage());
            return TestbedCommand.UNREACHABLE;
        }
        List<AssertionResult> baselineFailures =
                baseline.assertions().filter(a -> a.verdict() != Verdict.PASS).toList();
        out.printf(
                "  everything on: %d of %d assertions passed%n",
                baseline.assertions().count() - baselineFailures.size(),
                baseline.assertions().count());
        if (!baseline.passed()) {
            baselineFailures.forEach(a -> out.printf("    FAILS ALREADY  %s: %s%n", a.id(), a.detail()));
            baseline.actions()
                    .filter(a -> a.verdict() != Verdict.PASS)
                    .forEach(a -> out.printf("    ACTION FAILS   %s: %s%n", a.title(), a.detail()));
            out.println("Ablation not judged: the journey must pass with everything on first.");
            return TestbedCommand.ASSERTIONS_FAILED;
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Switch off : switches) {
            long t0 = System.nanoTime();
            JourneyResult result = replay(journey, off.settings(catalogue), connection, realm);
            Outcome outcome = Ablation.judge(journey, off, result, Duration.ofNanos(System.nanoTime() - t0));
            outcomes.add(outcome);
            print(outcome, out);
        }
        Duration took = Duration.between(started, Instant.now());
        long disagree = outcomes.stream().filter(o -> !o.agrees()).count();
        Path folder = reportDir
                .resolve("ablate-" + journey.id() + "-" + FOLDER_TIME.format(started))
                .toAbsolutePath();
        Path json = write(journey, baseline, outcomes, took, folder);
        out.printf("Ablation report: %s%n", json);
        out.printf(
                "Ablation of %s: %d switches, %d agree with the tags, %d do not (%d s)%n",
                journey.id(), outcomes.size(), outcomes.size() - disagree, disagree, took.toSeconds());
        return disagree == 0 ? TestbedCommand.PASSED : TestbedCommand.ASSERTIONS_FAILED;
    }

    private static JourneyResult replay(
            Journey journey, RunSettings settings, TestbedConnection connection, RealmDefinition realm)
            throws InterruptedException {
        return new JourneyRunner(FhirContext.forR4Cached(), connection, realm, Set.of(), settings).run(journey);
    }

    private static void print(Outcome o, PrintStream out) {
        out.printf(
                "  %-4s %-45s %2d tagged, %2d failed as tagged (%d s)%n",
                o.agrees() ? "OK" : "NO",
                "without " + o.off().display(),
                o.expected().size(),
                o.expected().size() - o.taggedButPassed().size(),
                o.took().toSeconds());
        o.failedUntagged()
                .forEach(a -> out.printf(
                        "       failed but not tagged with %s: %s (%s) - %s%n",
                        o.off().code(), a.id(), a.verdict(), a.detail()));
        o.taggedButPassed()
                .forEach(id -> out.printf(
                        "       tagged with %s but still passed: %s%n", o.off().code(), id));
        o.actionErrors().forEach(a -> out.printf("       action did not succeed: %s - %s%n", a.title(), a.detail()));
    }

    private static Path write(
            Journey journey, JourneyResult baseline, List<Outcome> outcomes, Duration took, Path folder)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("journey", journey.id());
        root.put("file", journey.source().file());
        root.put("baselineRun", baseline.runId());
        root.put("assertions", baseline.assertions().count());
        root.put("seconds", took.toSeconds());
        ArrayNode switches = root.putArray("switches");
        for (Outcome o : outcomes) {
            ObjectNode s = switches.addObject();
            s.put("kind", o.off().kind().name().toLowerCase(java.util.Locale.ROOT));
            s.put("code", o.off().code());
            s.put("run", o.runId());
            s.put("agrees", o.agrees());
            o.disabledFlows().stream().sorted().forEach(s.putArray("flowsOff")::add);
            o.expected().forEach(s.putArray("tagged")::add);
            ArrayNode untagged = s.putArray("failedUntagged");
            o.failedUntagged()
                    .forEach(a -> untagged.addObject()
                            .put("assertion", a.id())
                            .put("verdict", a.verdict().name())
                            .put("detail", a.detail()));
            o.taggedButPassed().forEach(s.putArray("taggedButPassed")::add);
            ArrayNode actions = s.putArray("actionErrors");
            o.actionErrors()
                    .forEach(a -> actions.addObject().put("action", a.title()).put("detail", a.detail()));
            s.put("seconds", o.took().toSeconds());
        }
        Files.createDirectories(folder);
        Path file = folder.resolve("ablation.json");
        json.writeValue(file.toFile(), root);
        return file;
    }
}
