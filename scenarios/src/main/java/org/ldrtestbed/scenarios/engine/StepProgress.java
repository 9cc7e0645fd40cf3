package org.ldrtestbed.scenarios.engine;

import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;
import org.ldrtestbed.scenarios.report.LocalTimes;

/** Told after each replayed step, so a long replay shows where it is. */
@FunctionalInterface
public interface StepProgress {

    StepProgress NONE = (number, of, step) -> {};

    void stepDone(int number, int of, StepResult step);

    /** One line a step, its time as UK clocks showed it: {@code [3/27] 12 Jan 09:40 GMT gp.ashdown  GP refers Dot  2 done, 3/3 held}. */
    static StepProgress printingTo(PrintStream out) {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("dd MMM HH:mm z").withZone(LocalTimes.UK);
        return (number, of, step) -> {
            long held = step.assertions().stream()
                    .filter(a -> a.verdict() == Verdict.PASS)
                    .count();
            long failedActions = step.actions().stream()
                    .filter(a -> a.verdict() != Verdict.PASS)
                    .count();
            out.printf(
                    "  [%d/%d] %s %-22s %s  %d done%s, %d/%d held%n",
                    number,
                    of,
                    time.format(step.at()),
                    step.username(),
                    step.title(),
                    step.actions().size() - failedActions,
                    failedActions == 0 ? "" : " (" + failedActions + " in ERROR)",
                    held,
                    step.assertions().size());
        };
    }
}
