package org.ldrtestbed.scenarios.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.CapabilityVerdict;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/** Prints the step × assertion × capability × verdict table and the capability verdicts. */
public final class ConsoleReport {

    /** How the engine quotes the server's own words about what it withheld (see SeesChecker). */
    private static final String SERVER_SAID = "; the server said: ";

    private static final String ROW = "%-30s %-58s %-16s %s%n";

    public void print(JourneyResult result, PrintStream out) {
        out.printf("%n%s%n", result.title());
        out.printf(
                "journey %s, run %s, server %s, patient NHS number %s (synthetic)%n",
                result.journeyId(), result.runId(), result.server(), result.nhsNumber());
        if (!result.disabledFlows().isEmpty()) {
            out.printf("flows switched off: %s%n", String.join(", ", result.disabledFlows()));
        }
        if (!JourneyResult.FULL_DEPLOYMENT.equals(result.deployment())) {
            out.printf("deployment profile: %s%n", result.deployment());
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
        List<String> withheld = new ArrayList<>();
        for (StepResult step : result.steps()) {
            for (AssertionResult a : step.assertions()) {
                int said = a.detail() == null ? -1 : a.detail().indexOf(SERVER_SAID);
                if (said >= 0 && a.detail().indexOf(" withheld: ", said) >= 0) {
                    withheld.add(String.format(
                            "  %-30s %s%n    %s",
                            cut(step.id(), 30), a.title(), a.detail().substring(said + SERVER_SAID.length())));
                }
            }
        }
        if (!withheld.isEmpty()) {
            out.println();
            out.println("Withheld by the access policy (what each actor was refused, and the server's reason):");
            withheld.forEach(out::println);
        }
        if (!result.timeliness().isEmpty()) {
            out.println();
            out.println("Timeliness (journey clock; from the event each flow's rule counts from, to delivery):");
            // One line per step and flow: how many messages, the slowest, and the worst verdict.
            Map<String, List<JourneyResult.Timeliness>> byStepAndFlow = new LinkedHashMap<>();
            for (JourneyResult.Timeliness t : result.timeliness()) {
                byStepAndFlow
                        .computeIfAbsent(t.stepId() + " " + t.flow(), k -> new ArrayList<>())
                        .add(t);
            }
            for (List<JourneyResult.Timeliness> group : byStepAndFlow.values()) {
                JourneyResult.Timeliness first = group.getFirst();
                String verdict = group.stream()
                                .map(JourneyResult.Timeliness::verdict)
                                .anyMatch("NOT_DELIVERED"::equals)
                        ? "NOT_DELIVERED"
                        : group.stream().map(JourneyResult.Timeliness::verdict).anyMatch("LATE"::equals)
                                ? "LATE"
                                : "MET";
                java.time.Duration slowest = group.stream()
                        .map(JourneyResult.Timeliness::elapsed)
                        .filter(java.util.Objects::nonNull)
                        .max(java.time.Duration::compareTo)
                        .orElse(null);
                out.printf(
                        "  %-30s %-27s %-13s %s%n",
                        cut(first.stepId(), 30),
                        first.flow(),
                        verdict,
                        (group.size() == 1 ? "" : group.size() + " messages, slowest ")
                                + (slowest == null ? "not delivered" : human(slowest))
                                + " of " + (first.rule() == null ? "no rule" : human(first.rule()))
                                + (first.measuredFrom() == null ? "" : " from " + first.measuredFrom()));
            }
        }
        out.println();
        out.println("Universal Capabilities:");
        for (CapabilityVerdict v : result.capabilityVerdicts().values()) {
            out.printf(
                    "  %-15s %-12s %s%n",
                    v.capability(), v.verdict(), v.total() == 0 ? "" : v.passed() + "/" + v.total() + " assertions");
        }
        long context = result.assertions()
                .filter(a -> a.capabilities().contains(JourneyResult.CONTEXT))
                .count();
        if (context > 0) {
            // Seen, but switching no capability off would change it: shown, never counted as a capability's evidence.
            out.printf(
                    "  %-15s %-12s %d assertions (depend on no capability's flow; not counted)%n",
                    "context", "-", context);
        }
        if (!result.unmetNeeds().isEmpty()) {
            out.println();
            out.printf("Unmet needs (deployment profile %s):%n", result.deployment());
            // One need per assertion; under it, each flow and sender whose message the profile held back.
            Map<String, List<JourneyResult.UnmetNeed>> byAssertion = new LinkedHashMap<>();
            result.unmetNeeds()
                    .forEach(n -> byAssertion
                            .computeIfAbsent(n.stepId() + "/" + n.assertionId(), k -> new ArrayList<>())
                            .add(n));
            for (List<JourneyResult.UnmetNeed> needs : byAssertion.values()) {
                JourneyResult.UnmetNeed first = needs.getFirst();
                out.printf("  %-30s %s%n", cut(first.stepId(), 30), first.need());
                Map<String, List<JourneyResult.UnmetNeed>> byStatus = new LinkedHashMap<>();
                needs.forEach(n -> byStatus.computeIfAbsent(
                                n.capability() + "|" + n.status() + "|" + n.planned() + "|" + n.note(),
                                k -> new ArrayList<>())
                        .add(n));
                for (List<JourneyResult.UnmetNeed> same : byStatus.values()) {
                    JourneyResult.UnmetNeed need = same.getFirst();
                    Map<String, List<String>> senders = new LinkedHashMap<>();
                    same.forEach(n -> senders.computeIfAbsent(n.flow(), k -> new ArrayList<>())
                            .add(
                                    n.sourceOrganisation() == null
                                            ? "any sender"
                                            : n.sourceOrganisation()
                                                    + (n.sourceService() == null ? "" : " " + n.sourceService())));
                    out.printf(
                            "    would be met by %s (%s): %s%s%s%n",
                            need.capability(),
                            String.join(
                                    "; ",
                                    senders.entrySet().stream()
                                            .map(e -> e.getKey() + " from " + String.join(", ", e.getValue()))
                                            .toList()),
                            need.status(),
                            need.planned() == null ? "" : " for " + need.planned(),
                            need.note() == null ? "" : " (" + need.note() + ")");
                }
            }
        }
        out.printf("%n%s%n", summary(result));
    }

    /** The last line: a journey whose every assertion passed but an action of which failed says why it FAILED. */
    static String summary(JourneyResult result) {
        long assertions = result.assertions().count();
        long passed =
                result.assertions().filter(a -> a.verdict() == Verdict.PASS).count();
        long failedActions =
                result.actions().filter(a -> a.verdict() != Verdict.PASS).count();
        long notTested = result.assertions()
                .filter(a -> a.verdict() == Verdict.NOT_TESTED)
                .count();
        long blocked =
                result.assertions().filter(a -> a.verdict() == Verdict.BLOCKED).count();
        return String.format(
                "%s: %d of %d assertions passed%s%s%s in %.1f s",
                result.passed() ? "PASSED" : "FAILED",
                passed,
                assertions,
                notTested == 0 ? "" : ", " + notTested + " not tested (a system under test holds what they read)",
                blocked == 0 ? "" : ", " + blocked + " blocked (a system under test did not send what they needed)",
                failedActions == 0
                        ? ""
                        : ", " + failedActions + (failedActions == 1 ? " action" : " actions")
                                + " in ERROR (the does: rows above)",
                result.elapsed().toMillis() / 1000.0);
    }

    private static String cut(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }

    /** A duration as people read it: 2d 3h, 4h 05m, 12m 30s, 850 ms. */
    static String human(java.time.Duration d) {
        if (d.isNegative()) {
            return "-" + human(d.negated());
        }
        if (d.toDays() > 0) {
            return d.toDays() + "d " + d.toHoursPart() + "h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + "h " + String.format("%02dm", d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return d.toMinutes() + "m " + String.format("%02ds", d.toSecondsPart());
        }
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format("%.1f s", d.toMillis() / 1000.0);
    }
}
