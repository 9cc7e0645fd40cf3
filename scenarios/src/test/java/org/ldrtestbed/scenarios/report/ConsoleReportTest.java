package org.ldrtestbed.scenarios.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

class ConsoleReportTest {

    /** The sample with the first step's write answered 400, every assertion still passing. */
    private static JourneyResult withAFailedWrite(JourneyResult r) {
        List<StepResult> steps = new ArrayList<>(r.steps());
        StepResult first = steps.getFirst();
        steps.set(
                0,
                new StepResult(
                        first.id(),
                        first.title(),
                        first.background(),
                        first.actor(),
                        first.username(),
                        first.at(),
                        List.of(new ActionResult(
                                "the visit is over", Verdict.ERROR, "HTTP 400: Unknown element 'ende'")),
                        first.assertions()));
        return new JourneyResult(
                r.journeyId(),
                r.title(),
                r.file(),
                r.runId(),
                r.server(),
                r.started(),
                r.elapsed(),
                r.nhsNumber(),
                r.disabledFlows(),
                r.notes(),
                steps,
                r.timeliness(),
                r.deployment(),
                r.unmetNeeds(),
                r.notCovered());
    }

    @Test
    void aJourneyThatFailedOnlyByAnActionSaysSoInItsLastLine() {
        JourneyResult passing = SampleResults.dot();
        JourneyResult failing = withAFailedWrite(passing);
        long held =
                failing.assertions().filter(a -> a.verdict() == Verdict.PASS).count();

        assertThat(ConsoleReport.summary(failing))
                .startsWith("FAILED: " + held + " of " + failing.assertions().count() + " assertions passed")
                .contains(", 1 action in ERROR (the does: rows above)");
        assertThat(ConsoleReport.summary(passing)).doesNotContain("in ERROR");
    }
}
