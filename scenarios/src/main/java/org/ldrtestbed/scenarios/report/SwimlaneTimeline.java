package org.ldrtestbed.scenarios.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Timeliness;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * The journey as a swimlane chart, laid out for an SVG template: one lane per organisation (named from the
 * directory), the journey clock across, each step a point in its actor's lane, each flow an arrow from the sending
 * step's lane to the receiving organisation's lane at delivery time, coloured by its timeliness verdict.
 *
 * <p>The clock runs from months before the journey (the prior record) to its last minutes, so the axis is
 * compressed: the gap between two consecutive moments is drawn as {@code 1 + ln(1 + minutes)} (half that in the
 * prior record), and every moment is labelled with its local time. The message log does not name a message's recipient, so the receiving lane is the
 * journey's organisation of the flow's target care setting (the shared care record and the patient are lanes of
 * their own).
 */
public record SwimlaneTimeline(
        int width,
        int height,
        int plotLeft,
        int plotRight,
        int plotTop,
        int plotBottom,
        List<Lane> lanes,
        List<Point> points,
        List<Arrow> arrows,
        List<Tick> ticks,
        Integer journeyStartX) {

    static final String SHARED_RECORD = "shared-care-record";
    static final String PATIENT = "patient";

    private static final int LABEL_WIDTH = 270;
    private static final int PLOT_WIDTH = 1000;
    private static final int LANE_HEIGHT = 46;
    private static final int TOP = 30;
    private static final int TICK_SPACE = 110;

    /** A lane: an organisation, the shared care record, or the patient and family. */
    public record Lane(String key, String name, List<String> lines, int top, int height, int middle, boolean odd) {}

    /** A step: its number in the legend, where it sits and what it says when hovered. */
    public record Point(
            int number, String stepId, String title, String who, String when, int x, int y, String verdict) {}

    /**
     * One or more messages of a flow caused by one step, with one verdict: drawn from the sender's lane at the step
     * to the receiver's lane at (the latest) delivery.
     */
    public record Arrow(
            String flow, String verdict, int x1, int y1, int x2, int y2, String from, String to, String label) {}

    /** A moment on the axis, labelled in local time below the lanes, slanted. */
    public record Tick(int x, String label, String labelTransform) {}

    public static SwimlaneTimeline of(
            JourneyResult result, CareSystemNames names, FlowCatalogue catalogue, CapabilityNames capabilities) {
        Map<String, String> laneNames = new LinkedHashMap<>();
        Map<String, String> stepLane = new LinkedHashMap<>();
        for (StepResult step : result.steps()) {
            String lane = laneOf(step, names);
            stepLane.put(step.id(), lane);
            laneNames.putIfAbsent(lane, laneName(lane, names));
        }
        Map<String, StepResult> steps = new LinkedHashMap<>();
        result.steps().forEach(s -> steps.put(s.id(), s));

        // Group each step's messages of one flow and verdict into one arrow.
        Map<List<String>, List<Timeliness>> groups = new LinkedHashMap<>();
        for (Timeliness t : result.timeliness()) {
            if (steps.containsKey(t.stepId())) {
                groups.computeIfAbsent(List.of(t.stepId(), t.flow(), t.verdict()), k -> new ArrayList<>())
                        .add(t);
            }
        }
        Map<List<String>, String> targetLane = new LinkedHashMap<>();
        boolean sharedRecord = false;
        for (var group : groups.entrySet()) {
            Timeliness first = group.getValue().getFirst();
            SharingFlow flow = catalogue.flow(first.flow()).orElse(null);
            String target = receiverLane(flow, steps.get(first.stepId()), result, stepLane, names);
            targetLane.put(group.getKey(), target);
            sharedRecord |= SHARED_RECORD.equals(target);
            if (!SHARED_RECORD.equals(target)) {
                laneNames.putIfAbsent(target, laneName(target, names));
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        if (sharedRecord) {
            ordered.put(SHARED_RECORD, "Shared care record");
        }
        ordered.putAll(laneNames);

        List<Lane> lanes = new ArrayList<>();
        Map<String, Integer> middles = new LinkedHashMap<>();
        int top = TOP;
        int index = 0;
        for (var lane : ordered.entrySet()) {
            List<String> lines = wrap(CareSystemNames.withoutSyntheticMark(lane.getValue()), 34);
            lanes.add(new Lane(
                    lane.getKey(), lane.getValue(), lines, top, LANE_HEIGHT, top + LANE_HEIGHT / 2, index++ % 2 == 1));
            middles.put(lane.getKey(), top + LANE_HEIGHT / 2);
            top += LANE_HEIGHT;
        }
        int plotBottom = top;

        Instant journeyStart = result.steps().stream()
                .filter(s -> !s.background())
                .map(StepResult::at)
                .min(Comparator.naturalOrder())
                .orElse(null);
        Axis axis =
                new Axis(result.steps().stream().map(StepResult::at).toList(), journeyStart, LABEL_WIDTH, PLOT_WIDTH);

        List<Point> points = new ArrayList<>();
        int number = 1;
        for (StepResult step : result.steps()) {
            points.add(new Point(
                    number++,
                    step.id(),
                    step.title(),
                    laneNames.get(stepLane.get(step.id())),
                    LocalTimes.full(step.at()),
                    axis.x(step.at()),
                    middles.get(stepLane.get(step.id())),
                    step.background() ? "BACKGROUND" : stepVerdict(step)));
        }

        List<Arrow> arrows = new ArrayList<>();
        Map<String, Integer> perStep = new LinkedHashMap<>();
        for (var group : groups.entrySet()) {
            List<Timeliness> messages = group.getValue();
            Timeliness first = messages.getFirst();
            StepResult step = steps.get(first.stepId());
            String from = stepLane.get(step.id());
            String to = targetLane.get(group.getKey());
            Instant delivered = messages.stream()
                    .map(Timeliness::delivered)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .orElse(step.at());
            // Arrows of one step side by side, so two flows leaving at once stay apart.
            int offset = 5 * perStep.merge(step.id(), 1, Integer::sum) - 5;
            int y1 = middles.get(from);
            int y2 = middles.get(to);
            if (y1 == y2) {
                y2 = y1 + LANE_HEIGHT / 3;
            }
            SharingFlow flow = catalogue.flow(first.flow()).orElse(null);
            arrows.add(new Arrow(
                    first.flow(),
                    first.verdict(),
                    axis.x(step.at()) + offset,
                    y1,
                    axis.x(delivered) + offset,
                    y2,
                    ordered.get(from),
                    ordered.get(to),
                    arrowLabel(first, flow, messages, ordered.get(from), ordered.get(to), capabilities)));
        }

        List<Tick> ticks = new ArrayList<>();
        TreeSet<Instant> moments = new TreeSet<>(axis.moments);
        Instant year = journeyStart;
        String previousDay = null;
        for (Instant moment : moments) {
            // The prior record's moments carry their year; the journey's own say the day only when it changes.
            boolean journeyYear = year != null && LocalTimes.year(moment) == LocalTimes.year(year);
            String day = journeyYear ? LocalTimes.shortDay(moment) : LocalTimes.day(moment);
            String label = !journeyYear
                    ? day
                    : day.equals(previousDay) ? LocalTimes.clock(moment) : day + " " + LocalTimes.clock(moment);
            previousDay = day;
            int x = axis.x(moment);
            ticks.add(new Tick(x, label, "translate(" + (x + 3) + "," + (plotBottom + 10) + ") rotate(-55)"));
        }
        Integer start = null;
        List<Instant> background = result.steps().stream()
                .filter(StepResult::background)
                .map(StepResult::at)
                .toList();
        if (!background.isEmpty() && year != null) {
            Instant lastBefore =
                    background.stream().max(Comparator.naturalOrder()).get();
            start = (axis.x(lastBefore) + axis.x(year)) / 2;
        }
        return new SwimlaneTimeline(
                LABEL_WIDTH + PLOT_WIDTH + 30,
                plotBottom + TICK_SPACE,
                LABEL_WIDTH,
                LABEL_WIDTH + PLOT_WIDTH,
                TOP,
                plotBottom,
                lanes,
                points,
                arrows,
                ticks,
                start);
    }

    /** The lane of the organisation the step's actor acts for, or of the patient and family. */
    static String laneOf(StepResult step, CareSystemNames names) {
        int at = step.actor() == null ? -1 : step.actor().indexOf(" @ ");
        if (at >= 0) {
            return step.actor().substring(at + 3).trim();
        }
        return names.organisationOf(step.username()).orElse(PATIENT);
    }

    private static String laneName(String lane, CareSystemNames names) {
        return switch (lane) {
            case PATIENT -> "The patient and family";
            case SHARED_RECORD -> "Shared care record";
            default -> lane.startsWith("setting:") ? setting(lane.substring(8)) : names.place(lane);
        };
    }

    /** A care setting as a lane's name, when the directory has several organisations of it: "National service". */
    private static String setting(String setting) {
        String words = setting.replace('-', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /**
     * The organisation the flow delivers to: the journey's organisation of the flow's target setting (the next to
     * act after the step when there are several), else the directory's only one, else the setting itself.
     */
    private static String receiverLane(
            SharingFlow flow,
            StepResult sender,
            JourneyResult result,
            Map<String, String> stepLane,
            CareSystemNames names) {
        if (flow == null) {
            return "setting:unknown flow";
        }
        String setting = flow.targetSetting();
        if (SHARED_RECORD.equals(setting)) {
            return SHARED_RECORD;
        }
        if (PATIENT.equals(setting)) {
            return PATIENT;
        }
        List<StepResult> inSetting = result.steps().stream()
                .filter(s -> names.settingOf(stepLane.get(s.id()))
                        .map(setting::equals)
                        .orElse(false))
                .sorted(Comparator.comparing(StepResult::at))
                .toList();
        if (!inSetting.isEmpty()) {
            return inSetting.stream()
                    .filter(s -> !s.at().isBefore(sender.at()) && s != sender)
                    .findFirst()
                    .map(s -> stepLane.get(s.id()))
                    .orElse(stepLane.get(inSetting.getFirst().id()));
        }
        List<String> directory = names.organisationsIn(setting);
        return directory.size() == 1 ? directory.getFirst() : "setting:" + setting;
    }

    private static String stepVerdict(StepResult step) {
        boolean passed = step.assertions().stream().allMatch(a -> a.verdict() == Verdict.PASS)
                && step.actions().stream().allMatch(a -> a.verdict() == Verdict.PASS);
        return passed ? "PASS" : "FAIL";
    }

    private static String arrowLabel(
            Timeliness first,
            SharingFlow flow,
            List<Timeliness> messages,
            String from,
            String to,
            CapabilityNames capabilities) {
        Duration slowest = messages.stream()
                .map(Timeliness::elapsed)
                .filter(Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(null);
        String what = flow == null ? first.flow() : flow.title() + " (" + capabilities.label(flow.capability()) + ")";
        String count = messages.size() == 1 ? "1 message" : messages.size() + " messages";
        return what + ": " + count + " from " + from + " to " + to + ", " + first.verdict()
                + (slowest == null ? "" : ", " + ConsoleReport.human(slowest))
                + (first.rule() == null ? "" : " of " + ConsoleReport.human(first.rule()))
                + (first.measuredFrom() == null ? "" : " from " + first.measuredFrom());
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** The compressed clock: consecutive moments apart by 1 + ln(1 + minutes), scaled to the plot. */
    private static final class Axis {

        final List<Instant> moments;
        private final double[] units;
        private final int left;
        private final double scale;

        /** @param journeyStart gaps before it (the prior record) weigh half, leaving the journey more room */
        Axis(List<Instant> stepTimes, Instant journeyStart, int left, int width) {
            this.moments = new ArrayList<>(new TreeSet<>(stepTimes));
            this.left = left;
            units = new double[moments.size()];
            for (int i = 1; i < moments.size(); i++) {
                boolean prior = journeyStart != null && moments.get(i).isBefore(journeyStart);
                units[i] = units[i - 1] + gap(moments.get(i - 1), moments.get(i)) * (prior ? 0.5 : 1);
            }
            // Room after the last moment for what it sends.
            double total = moments.isEmpty() ? 1 : units[units.length - 1] + 3;
            scale = (width - 20) / total;
        }

        int x(Instant at) {
            if (moments.isEmpty()) {
                return left;
            }
            int i = 0;
            while (i + 1 < moments.size() && !moments.get(i + 1).isAfter(at)) {
                i++;
            }
            double u;
            if (at.isBefore(moments.getFirst())) {
                u = 0;
            } else if (i + 1 < moments.size()) {
                double share = Duration.between(moments.get(i), at).toMillis()
                        / (double) Duration.between(moments.get(i), moments.get(i + 1))
                                .toMillis();
                u = units[i] + share * (units[i + 1] - units[i]);
            } else {
                u = units[i] + Math.min(3, gap(moments.get(i), at) - 1);
            }
            return left + 10 + (int) Math.round(u * scale);
        }

        private static double gap(Instant a, Instant b) {
            return 1 + Math.log1p(Math.max(0, Duration.between(a, b).toMillis()) / 60_000.0);
        }
    }
}
