package org.ldrtestbed.scenarios.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Timeliness;

/**
 * Why a flow was LATE, from the record: the rule, the moment it counts from as the record gives it, the delivery,
 * and by how much. Messages of one step and flow counted from the same moment are explained once.
 *
 * @param flow the flow's code
 * @param text the explanation, one sentence
 */
public record LateExplanation(String flow, String stepId, String text) {

    public static final String LATE = "LATE";

    public static List<LateExplanation> of(JourneyResult result, FlowCatalogue catalogue, CareSystemNames names) {
        Map<String, StepResult> steps = new LinkedHashMap<>();
        result.steps().forEach(s -> steps.put(s.id(), s));
        Map<List<Object>, List<Timeliness>> groups = new LinkedHashMap<>();
        for (Timeliness t : result.timeliness()) {
            if (LATE.equals(t.verdict())) {
                groups.computeIfAbsent(java.util.Arrays.asList(t.stepId(), t.flow(), t.from()), k -> new ArrayList<>())
                        .add(t);
            }
        }
        List<LateExplanation> explanations = new ArrayList<>();
        for (List<Timeliness> group : groups.values()) {
            Timeliness first = group.getFirst();
            SharingFlow flow = catalogue.flow(first.flow()).orElse(null);
            StepResult step = steps.get(first.stepId());
            Instant delivered = group.stream()
                    .map(Timeliness::delivered)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .orElse(null);
            Duration took = group.stream()
                    .map(Timeliness::elapsed)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .orElse(null);
            explanations.add(new LateExplanation(
                    first.flow(), first.stepId(), text(first, flow, step, delivered, took, group.size(), names)));
        }
        return explanations;
    }

    private static String text(
            Timeliness t,
            SharingFlow flow,
            StepResult step,
            Instant delivered,
            Duration took,
            int messages,
            CareSystemNames names) {
        StringBuilder s = new StringBuilder();
        s.append(flow == null ? t.flow() : flow.title() + " (capability " + flow.capability() + ")");
        if (step != null) {
            s.append(", sent when “")
                    .append(step.title())
                    .append("” (")
                    .append(names.place(SwimlaneTimeline.laneOf(step, names)))
                    .append(")");
        }
        s.append(": the rule is delivery within ")
                .append(t.rule() == null ? "(no rule)" : LocalTimes.rule(t.rule()))
                .append(" of ")
                .append(t.measuredFrom() == null ? "the write" : t.measuredFrom())
                .append("; the record gives that moment as ")
                .append(LocalTimes.full(t.from()))
                .append("; ")
                .append(
                        messages == 1
                                ? "it was delivered "
                                : "the last of its " + messages + " messages was delivered ")
                .append(LocalTimes.full(delivered));
        if (took != null) {
            s.append(", ").append(ConsoleReport.human(took)).append(" after it");
            if (t.rule() != null) {
                s.append(": ").append(ConsoleReport.human(took.minus(t.rule()))).append(" late");
            }
        }
        return s.append('.').toString();
    }
}
