package org.ldrtestbed.scenarios;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.scenarios.check.JourneyChecker;
import org.ldrtestbed.scenarios.check.JourneyTexts;
import org.ldrtestbed.scenarios.check.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code testbed check}: a journey's mistakes found without booting (seconds, not a boot's minute), each as
 * {@code file:line:column: field: problem}. {@code run} and {@code ablate} make the same check before they boot.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Check journeys without booting: YAML (duplicate keys, unquoted text cut at a comma), the"
                + " schema, every actor, organisation, location, label, template and flow against the realm,"
                + " directory and flow catalogue, FHIRPath, search parameters, and every resource parsed strictly."
                + " Prints each problem as file:line:column: field: problem. Exit 0 fit to run, 2 problems found.")
final class CheckCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "JOURNEY",
            arity = "0..*",
            description = "Journey files (.journey.yaml), folders of them, or shipped journey ids; default: every"
                    + " shipped journey.")
    List<String> journeys = List.of();

    @Option(
            names = "--realm-file",
            paramLabel = "FILE",
            description = "Keycloak realm export naming the actors (as for run); default: the testbed's own realm.")
    Path realmFile;

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        List<JourneyTexts.Text> texts = new ArrayList<>();
        if (journeys.isEmpty()) {
            texts.addAll(JourneyTexts.shipped());
        }
        for (String journey : journeys) {
            if (Files.isDirectory(Path.of(journey))) {
                texts.addAll(JourneyTexts.under(Path.of(journey)));
                continue;
            }
            Optional<JourneyTexts.Text> text = JourneyTexts.find(journey);
            if (text.isEmpty()) {
                System.out.println(journey + ":1:1: (file): no such file, nor a shipped journey with that id"
                        + " (testbed list names them)");
                return TestbedCommand.BAD_INPUT;
            }
            texts.add(text.get());
        }
        if (realmFile != null && !readableRealm(realmFile)) {
            System.out.println(realmFile + ":1:1: (realm): not a readable realm file");
            return TestbedCommand.BAD_INPUT;
        }
        List<Problem> problems = problems(texts, realmFile);
        problems.forEach(System.out::println);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!problems.isEmpty()) {
            System.out.printf(
                    "%d problem%s in %d journey%s (checked in %.1f s)%n",
                    problems.size(),
                    problems.size() == 1 ? "" : "s",
                    texts.size(),
                    texts.size() == 1 ? "" : "s",
                    seconds);
            return TestbedCommand.BAD_INPUT;
        }
        System.out.printf("ok: %d journey%s checked in %.1f s%n", texts.size(), texts.size() == 1 ? "" : "s", seconds);
        return TestbedCommand.PASSED;
    }

    /**
     * The check {@code run} makes before it boots: true when the journeys are fit to run, else their problems are
     * printed to {@code err}. Names that are neither a file nor a shipped id are left to the caller to refuse.
     */
    static boolean fitToRun(List<String> journeys, Path realmFile, PrintStream err) {
        List<JourneyTexts.Text> texts = new ArrayList<>();
        for (String journey : journeys) {
            JourneyTexts.find(journey).ifPresent(texts::add);
        }
        return fit(texts, realmFile, err);
    }

    /** The same for every shipped journey ({@code run --all}). */
    static boolean everyShippedJourneyFitToRun(Path realmFile, PrintStream err) {
        return fit(JourneyTexts.shipped(), realmFile, err);
    }

    private static boolean fit(List<JourneyTexts.Text> texts, Path realmFile, PrintStream err) {
        if (realmFile != null && !readableRealm(realmFile)) {
            return true; // the run refuses an unreadable realm file in its own words
        }
        List<Problem> problems = problems(texts, realmFile);
        problems.forEach(err::println);
        return problems.isEmpty();
    }

    private static boolean readableRealm(Path realmFile) {
        try {
            RealmFiles.load("file:" + realmFile.toAbsolutePath());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** @param realmFile the realm the actors log in from, or null for the testbed's own */
    private static List<Problem> problems(List<JourneyTexts.Text> texts, Path realmFile) {
        JourneyChecker checker = realmFile == null ? new JourneyChecker() : JourneyChecker.withRealm(realmFile);
        List<Problem> problems = new ArrayList<>();
        for (JourneyTexts.Text text : texts) {
            problems.addAll(checker.check(text.name(), text.text()));
        }
        return problems;
    }
}
