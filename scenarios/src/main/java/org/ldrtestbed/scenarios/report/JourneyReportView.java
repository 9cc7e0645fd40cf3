package org.ldrtestbed.scenarios.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.CapabilityVerdict;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Timeliness;
import org.ldrtestbed.scenarios.report.JourneyResult.UnmetNeed;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * What the HTML report shows, worked out from a journey result: everything in words and local times, organisations
 * by name. The template ({@code report/journey.html}) only lays it out.
 */
public record JourneyReportView(
        String title,
        String journeyId,
        String file,
        String runId,
        String server,
        String started,
        String took,
        String nhsNumber,
        boolean passed,
        String deployment,
        List<String> disabledFlows,
        List<String> notes,
        String summary,
        SwimlaneTimeline timeline,
        List<CapabilityRow> capabilities,
        List<AssertionLink> context,
        List<UnmetNeedRow> unmetNeeds,
        String noUnmetNeeds,
        List<FlowRow> flows,
        List<LateExplanation> lateExplanations,
        List<StepView> steps) {

    /** One capability's verdict, counting only the assertions that are evidence for it. */
    public record CapabilityRow(
            String code,
            String name,
            String verdict,
            int passed,
            int total,
            List<AssertionLink> evidence,
            String notCovered) {}

    public record AssertionLink(String id, String title, String verdict) {}

    public record UnmetNeedRow(
            String step,
            String need,
            String capability,
            String flow,
            String source,
            String service,
            String status,
            String planned,
            String note) {}

    /** A step's messages of one flow. */
    public record FlowRow(
            String step, String flow, String route, String measuredFrom, String slowest, String rule, String verdict) {}

    public record StepView(
            int number,
            String id,
            String title,
            boolean background,
            String who,
            String when,
            List<AssertionView> assertions,
            List<ActionView> actions) {}

    public record AssertionView(
            String id,
            String title,
            String capabilities,
            String capabilityNames,
            String flows,
            String verdict,
            String detail,
            ReadableQuery query,
            String careRelationship) {}

    public record ActionView(String title, String verdict, String detail) {}

    public static JourneyReportView of(
            JourneyResult result, CareSystemNames names, CapabilityNames capabilities, FlowCatalogue catalogue) {
        Map<String, StepResult> stepsById = new LinkedHashMap<>();
        result.steps().forEach(s -> stepsById.put(s.id(), s));

        List<CapabilityRow> rows = new ArrayList<>();
        for (CapabilityVerdict v : result.capabilityVerdicts().values()) {
            rows.add(new CapabilityRow(
                    v.capability(),
                    capabilities.name(v.capability()),
                    v.verdict().name(),
                    v.passed(),
                    v.total(),
                    result.assertions()
                            .filter(a -> a.capabilities().contains(v.capability()))
                            .map(JourneyReportView::link)
                            .toList(),
                    result.notCovered().get(v.capability())));
        }
        List<AssertionLink> context = result.assertions()
                .filter(a -> a.capabilities().contains(JourneyResult.CONTEXT))
                .map(JourneyReportView::link)
                .toList();

        List<UnmetNeedRow> unmet = unmetNeedRows(result, names, capabilities, catalogue);
        String noUnmet = JourneyResult.FULL_DEPLOYMENT.equals(result.deployment())
                ? "none: every flow live (full deployment)"
                : "none: every need of this journey was met by what the " + result.deployment()
                        + " deployment has live";

        List<LateExplanation> late = LateExplanation.of(result, catalogue, names);
        List<StepView> steps = new ArrayList<>();
        int number = 1;
        for (StepResult step : result.steps()) {
            steps.add(stepView(number++, step, names, capabilities));
        }
        return new JourneyReportView(
                result.title(),
                result.journeyId(),
                result.file(),
                result.runId(),
                result.server(),
                LocalTimes.full(result.started()),
                ConsoleReport.human(result.elapsed()),
                result.nhsNumber(),
                result.passed(),
                result.deployment(),
                result.disabledFlows().stream().sorted().toList(),
                result.notes(),
                summary(result, capabilities, late),
                SwimlaneTimeline.of(result, names, catalogue, capabilities),
                rows,
                context,
                unmet,
                noUnmet,
                flowRows(result, stepsById, catalogue, names),
                late,
                steps);
    }

    /** The deployment profile's unmet needs, in words: step title, capability named, sender by name. */
    static List<UnmetNeedRow> unmetNeedRows(
            JourneyResult result, CareSystemNames names, CapabilityNames capabilities, FlowCatalogue catalogue) {
        Map<String, String> stepTitles = new LinkedHashMap<>();
        result.steps().forEach(s -> stepTitles.put(s.id(), s.title()));
        return result.unmetNeeds().stream()
                .map(n -> new UnmetNeedRow(
                        stepTitles.getOrDefault(n.stepId(), n.stepId()),
                        n.need(),
                        capabilities.label(n.capability()),
                        catalogue.flow(n.flow()).map(SharingFlow::title).orElse(n.flow()),
                        n.sourceOrganisation() == null ? "every sender" : names.place(n.sourceOrganisation()),
                        n.sourceService() == null ? "" : names.place(n.sourceService()),
                        n.status(),
                        n.planned() == null ? "" : n.planned(),
                        n.note() == null ? "" : n.note()))
                .toList();
    }

    /**
     * One paragraph a board reads: the verdict, each capability shown (in words, with its count), what is context,
     * what was not covered and why, timeliness, and unmet needs.
     */
    static String summary(JourneyResult result, CapabilityNames capabilities, List<LateExplanation> late) {
        long total = result.assertions().count();
        long held = result.assertions().filter(a -> a.verdict() == Verdict.PASS).count();
        StringBuilder s = new StringBuilder();
        s.append(result.title())
                .append(": replayed on the ")
                .append(result.deployment())
                .append(" deployment, it ")
                .append(result.passed() ? "passed" : "failed")
                .append(", ")
                .append(held)
                .append(" of ")
                .append(total)
                .append(" assertions holding");
        if (!result.disabledFlows().isEmpty()) {
            s.append(" with ")
                    .append(String.join(
                            ", ", result.disabledFlows().stream().sorted().toList()))
                    .append(" switched off");
        }
        s.append(".");
        List<String> shown = new ArrayList<>();
        List<String> notCovered = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        List<String> partly = new ArrayList<>();
        for (CapabilityVerdict v : result.capabilityVerdicts().values()) {
            String label = capabilities.label(v.capability());
            String reason = result.notCovered().get(v.capability());
            if (v.verdict() == Verdict.NOT_COVERED) {
                (reason == null ? unexplained : notCovered).add(label + (reason == null ? "" : ": " + reason));
            } else {
                shown.add(label + " (" + v.passed() + " of " + v.total() + " hold"
                        + (v.verdict() == Verdict.PASS ? "" : ": " + v.verdict()) + ")");
                if (reason != null) {
                    partly.add(v.capability() + ", " + reason);
                }
            }
        }
        if (!shown.isEmpty()) {
            s.append(" It shows ").append(String.join("; ", shown)).append(".");
        }
        long context = result.assertions()
                .filter(a -> a.capabilities().contains(JourneyResult.CONTEXT))
                .count();
        if (context > 0) {
            s.append(" ")
                    .append(context)
                    .append(context == 1 ? " thing seen is" : " things seen are")
                    .append(" context, shown but counted for no capability.");
        }
        if (!notCovered.isEmpty()) {
            s.append(" Not covered: ").append(String.join("; ", notCovered)).append(".");
        }
        if (!unexplained.isEmpty()) {
            s.append(" Not covered, and the journey does not say why: ")
                    .append(String.join("; ", unexplained))
                    .append(".");
        }
        if (!partly.isEmpty()) {
            s.append(" Covered only in part: ")
                    .append(String.join("; ", partly))
                    .append(".");
        }
        if (!result.timeliness().isEmpty()) {
            Map<String, Long> byVerdict = result.timeliness().stream()
                    .collect(Collectors.groupingBy(Timeliness::verdict, Collectors.counting()));
            s.append(" Of ")
                    .append(result.timeliness().size())
                    .append(" flow messages, ")
                    .append(byVerdict.getOrDefault("MET", 0L))
                    .append(" met their time rule, ")
                    .append(byVerdict.getOrDefault("LATE", 0L))
                    .append(" were late")
                    .append(late.isEmpty() ? "" : " (each explained below)")
                    .append(" and ")
                    .append(byVerdict.getOrDefault("NOT_DELIVERED", 0L))
                    .append(" were not delivered.");
        }
        if (!result.unmetNeeds().isEmpty()) {
            s.append(" On this deployment ")
                    .append(result.unmetNeeds().size())
                    .append(result.unmetNeeds().size() == 1 ? " need went" : " needs went")
                    .append(" unmet, for want of ")
                    .append(result.unmetNeeds().stream()
                            .map(UnmetNeed::capability)
                            .distinct()
                            .sorted()
                            .map(capabilities::label)
                            .collect(Collectors.joining("; ")))
                    .append(".");
        }
        return s.toString();
    }

    private static List<FlowRow> flowRows(
            JourneyResult result, Map<String, StepResult> steps, FlowCatalogue catalogue, CareSystemNames names) {
        Map<List<String>, List<Timeliness>> groups = new LinkedHashMap<>();
        for (Timeliness t : result.timeliness()) {
            groups.computeIfAbsent(List.of(t.stepId(), t.flow()), k -> new ArrayList<>())
                    .add(t);
        }
        List<FlowRow> rows = new ArrayList<>();
        for (List<Timeliness> group : groups.values()) {
            Timeliness first = group.getFirst();
            StepResult step = steps.get(first.stepId());
            String verdict = group.stream().map(Timeliness::verdict).anyMatch("NOT_DELIVERED"::equals)
                    ? "NOT_DELIVERED"
                    : group.stream().map(Timeliness::verdict).anyMatch(LateExplanation.LATE::equals) ? "LATE" : "MET";
            Duration slowest = group.stream()
                    .map(Timeliness::elapsed)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .orElse(null);
            SharingFlow flow = catalogue.flow(first.flow()).orElse(null);
            rows.add(new FlowRow(
                    step == null ? first.stepId() : step.title(),
                    flow == null ? first.flow() : flow.title(),
                    (group.size() == 1 ? "1 message" : group.size() + " messages")
                            + (step == null ? "" : " from " + names.place(SwimlaneTimeline.laneOf(step, names))),
                    first.measuredFrom() == null ? "the write" : first.measuredFrom(),
                    slowest == null ? "not delivered" : ConsoleReport.human(slowest),
                    LocalTimes.rule(first.rule()),
                    verdict));
        }
        return rows;
    }

    private static StepView stepView(int number, StepResult step, CareSystemNames names, CapabilityNames caps) {
        String lane = SwimlaneTimeline.laneOf(step, names);
        String role = step.actor() == null ? "" : step.actor().split(" ")[0];
        String person = names.personName(step.username()).orElse(step.username());
        String who = SwimlaneTimeline.PATIENT.equals(lane)
                ? person + " (" + role + ")"
                : person + ", " + role + ", " + names.place(lane);
        List<AssertionView> assertions = step.assertions().stream()
                .map(a -> new AssertionView(
                        a.id(),
                        a.title(),
                        String.join(", ", a.capabilities().stream().sorted().toList()),
                        a.capabilities().stream().sorted().map(caps::label).collect(Collectors.joining("; ")),
                        String.join(", ", a.flows().stream().sorted().toList()),
                        a.verdict().name(),
                        names.readable(a.detail()),
                        ReadableQuery.of(a.query(), names),
                        a.grantedBy().stream()
                                .map(g -> careRelationship(g, names))
                                .collect(Collectors.joining("; "))))
                .toList();
        List<ActionView> actions = step.actions().stream()
                .map(a -> new ActionView(a.title(), a.verdict().name(), written(names.readable(a.detail()))))
                .toList();
        return new StepView(
                number,
                step.id(),
                step.title(),
                step.background(),
                who,
                LocalTimes.full(step.at()),
                assertions,
                actions);
    }

    private static final java.util.regex.Pattern IDS =
            java.util.regex.Pattern.compile("[A-Z][A-Za-z]+/[A-Za-z0-9.-]+(?:, [A-Z][A-Za-z]+/[A-Za-z0-9.-]+)*");

    /** "wrote Encounter/1112, Observation/1113, Observation/1114" reads "wrote 1 Encounter, 2 Observations". */
    static String written(String detail) {
        java.util.regex.Matcher m = IDS.matcher(detail);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Map<String, Integer> types = new LinkedHashMap<>();
            for (String reference : m.group().split(", ")) {
                types.merge(reference.substring(0, reference.indexOf('/')), 1, Integer::sum);
            }
            String counted = types.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey() + (e.getValue() == 1 ? "" : "s"))
                    .collect(Collectors.joining(", "));
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(counted));
        }
        return m.appendTail(out).toString();
    }

    private static AssertionLink link(AssertionResult a) {
        return new AssertionLink(a.id(), a.title(), a.verdict().name());
    }

    /**
     * An {@code X-Care-Relationship} value as a reader says it, e.g. "Vale of White Horse Practice: recorded, by
     * Patient.generalPractitioner in Patient/12"; a value it cannot read is shown as sent.
     */
    static String careRelationship(String header, CareSystemNames names) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String organisation = fields.get("organisation");
        if (organisation == null) {
            return header;
        }
        StringBuilder said = new StringBuilder(names.knows(organisation) ? names.place(organisation) : organisation);
        if (fields.containsKey("kind")) {
            said.append(": ").append(fields.get("kind"));
        }
        if (fields.containsKey("via")) {
            said.append(", by ").append(fields.get("via"));
        }
        if (fields.containsKey("event")) {
            said.append(" in ").append(fields.get("event"));
        }
        return said.toString();
    }
}
