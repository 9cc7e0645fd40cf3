package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Dot's journey end to end against a real testbed on PostgreSQL, and its ablation: with the discharge-summary flow
 * switched off, exactly the assertions that depend on it fail.
 */
@ExtendWith(SharedTestbed.class)
class DotJourneyIT {

    private static final String FLOW = "discharge-summary";

    private final Journey dot = new JourneyCatalogue().find("dot").orElseThrow();

    @Test
    void everyAssertionOfDotsJourneyPasses(EmbeddedTestbed testbed) throws Exception {
        JourneyResult result = JourneyITSupport.replay(testbed, dot);

        assertThat(result.actions())
                .allSatisfy(a -> assertThat(a.verdict()).as(a.detail()).isEqualTo(Verdict.PASS));
        assertThat(result.assertions())
                .hasSizeGreaterThanOrEqualTo(25)
                .allSatisfy(a ->
                        assertThat(a.verdict()).as(a.id() + ": " + a.detail()).isEqualTo(Verdict.PASS));
        assertThat(result.capabilityVerdicts().get("e").verdict()).isEqualTo(Verdict.PASS);
        assertThat(result.passed()).isTrue();
    }

    @Test
    void withTheDischargeSummaryFlowOffExactlyTheAssertionsThatDependOnItFail(EmbeddedTestbed testbed)
            throws Exception {
        List<String> dependent = dot.steps().stream()
                .flatMap(s -> s.sees().stream())
                .filter(s -> s.flows().contains(FLOW))
                .map(s -> s.id())
                .toList();
        assertThat(dependent)
                .as("the journey must say which assertions need the flow")
                .isNotEmpty();

        JourneyResult result;
        testbed.flows().disable(FLOW);
        try {
            result = JourneyITSupport.replay(testbed, dot);
        } finally {
            testbed.flows().enable(FLOW);
        }

        assertThat(result.disabledFlows()).containsExactly(FLOW);
        assertThat(result.actions())
                .allSatisfy(a -> assertThat(a.verdict()).as(a.detail()).isEqualTo(Verdict.PASS));
        List<AssertionResult> failed =
                result.assertions().filter(a -> a.verdict() != Verdict.PASS).toList();
        assertThat(failed).extracting(AssertionResult::id).containsExactlyInAnyOrderElementsOf(dependent);
        assertThat(failed).allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.FAIL));
        assertThat(result.capabilityVerdicts().get("e").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.passed()).isFalse();
    }
}
