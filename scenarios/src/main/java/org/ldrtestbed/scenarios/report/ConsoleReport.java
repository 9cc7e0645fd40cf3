package org.ldrtestbed.scenarios.report;

import java.io.PrintStream;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.CapabilityVerdict;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/** Prints the step × assertion × capability × verdict table and the capability verdicts. */
public final class ConsoleReport {

    private static final String ROW = "%-30s %-58s %-16s %s%n";

    public void print(JourneyResult result, PrintStream out) {
        out.printf("%n%s%n", result.title());
        out.printf(
                "journey %s, run %s, server %s, patient NHS number %s (synthetic)%n",
                result.journeyId(), result.runId(), result.server(), result.nhsNumber());
        if (!result.disabledFlows().isEmpty()) {
            out.printf("flows switched off: %s%n", String.join(", ", result.disabledFlows()));
        }
        result.notes().forEach(note -> out.printf("note: %s%n", note));
        out.println();
        out.printf(ROW, "STEP", "ASSERTION (sees)", "CAPABILITY", "VERDICT");
        for (StepResult step : result.steps()) {
            for (AssertionResult a : step.assertions()) {
                out.printf(
                        ROW,
                        cut(step.id(), 30),
                        cut(a.title(), 58),
                        cut(String.join(",", a.capabilities()), 16),
                        a.verdict() == Verdict.PASS ? "PASS" : a.verdict() + "  " + a.detail());
            }
            for (ActionResult action : step.actions()) {
                if (action.verdict() != Verdict.PASS) {
                    out.printf(
                            ROW,
                            cut(step.id(), 30),
                            cut("does: " + action.title(), 58),
                            "",
                            action.verdict() + "  " + action.detail());
                }
            }
        }
        out.println();
        out.println("Universal Capabilities:");
        for (CapabilityVerdict v : result.capabilityVerdicts().values()) {
            out.printf(
                    "  %-15s %-12s %s%n",
                    v.capability(), v.verdict(), v.total() == 0 ? "" : v.passed() + "/" + v.total() + " assertions");
        }
        long assertions = result.assertions().count();
        long passed =
                result.assertions().filter(a -> a.verdict() == Verdict.PASS).count();
        out.printf(
                "%n%s: %d of %d assertions passed in %.1f s%n",
                result.passed() ? "PASSED" : "FAILED",
                passed,
                assertions,
                result.elapsed().toMillis() / 1000.0);
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
