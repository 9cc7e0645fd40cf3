package org.ldrtestbed.scenarios;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.report.CapabilityMatrix;
import org.ldrtestbed.scenarios.report.ConsoleReport;
import org.ldrtestbed.scenarios.report.HtmlReport;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.ReportWriter;

/**
 * {@code testbed run --all}: replays journeys one after another on one testbed, prints each one's verdicts, and
 * writes their reports and the capability × journey matrix into one folder of their own.
 */
final class AllJourneys {

    private static final DateTimeFormatter FOLDER_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** Replays one journey; a RuntimeException means the server could not be reached or used. */
    @FunctionalInterface
    interface Replay {
        JourneyResult run(Journey journey) throws InterruptedException;
    }

    private final Path reportDir;
    private final PrintStream out;

    AllJourneys(Path reportDir, PrintStream out) {
        this.reportDir = reportDir;
        this.out = out;
    }

    /** Exit code: passed when every journey passed, assertions failed when one did, unreachable on a failure to run. */
    int replay(List<Journey> journeys, Replay replay) throws InterruptedException {
        Instant started = Instant.now();
        Path folder = reportDir.resolve("all-" + FOLDER_TIME.format(started)).toAbsolutePath();
        HtmlReport html = HtmlReport.standard();
        ReportWriter writer = new ReportWriter(html);
        List<CapabilityMatrix.Run> runs = new ArrayList<>();
        for (Journey journey : journeys) {
            out.printf("%n=== %s (%d of %d) ===%n", journey.id(), runs.size() + 1, journeys.size());
            JourneyResult result;
            try {
                result = replay.run(journey);
            } catch (RuntimeException e) {
                System.err.println("Cannot replay " + journey.id() + ": " + e.getMessage());
                return TestbedCommand.UNREACHABLE;
            }
            new ConsoleReport().print(result, out);
            Path page = writer.write(result, folder.resolve(result.runId()));
            out.printf("Report: %s%n", page);
            runs.add(new CapabilityMatrix.Run(result, folder.relativize(page).toString()));
        }
        CapabilityMatrix matrix =
                CapabilityMatrix.of(runs, html.capabilityNames(), html.careSystemNames(), html.catalogue(), started);
        Path page = matrix.write(folder, html);
        out.printf("%nCapabilities × journeys (%s):%n", matrix.passed() ? "every journey passed" : "a journey FAILED");
        for (CapabilityMatrix.Column column : matrix.journeys()) {
            out.printf(
                    "  %-24s %-6s %d/%d assertions%s%n",
                    column.journeyId(),
                    column.passed() ? "PASS" : "FAIL",
                    column.held(),
                    column.assertions(),
                    column.unmetNeeds().isEmpty()
                            ? ""
                            : ", " + unmet(column.unmetNeeds()) + " unmet on " + column.deployment());
        }
        out.printf("Matrix: %s (also %s)%n", page, CapabilityMatrix.JSON);
        return matrix.passed() ? TestbedCommand.PASSED : TestbedCommand.ASSERTIONS_FAILED;
    }

    /** "1 need" or "n needs": one per assertion left unmet, however many flows would have met it. */
    private static String unmet(java.util.List<org.ldrtestbed.scenarios.report.JourneyResult.UnmetNeed> needs) {
        long n = needs.stream()
                .map(u -> u.stepId() + "/" + u.assertionId())
                .distinct()
                .count();
        return n + (n == 1 ? " need" : " needs");
    }
}
