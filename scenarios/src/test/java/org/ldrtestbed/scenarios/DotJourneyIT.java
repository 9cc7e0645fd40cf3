package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ldrtestbed.routes.catalogue.FlowCatalogue;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Dot's journey end to end against a real testbed on PostgreSQL, and its ablation: with any flow it depends on
 * switched off, exactly the assertions that name that flow fail, and everything else still passes.
 */
@ExtendWith(SharedTestbed.class)
class DotJourneyIT {

    private static final Journey DOT = new JourneyCatalogue().find("dot").orElseThrow();

    private final Journey dot = DOT;

    /** Every flow Dot's assertions depend on. */
    static Stream<String> flowsDotDependsOn() {
        return DOT.steps().stream()
                .flatMap(s -> s.sees().stream())
                .flatMap(s -> s.flows().stream())
                .distinct();
    }

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
    void dotDependsOnTheDischargeSummaryAndSocialCareNoticeFlows() {
        assertThat(flowsDotDependsOn()).contains("discharge-summary", "social-care-notice");
    }

    @ParameterizedTest
    @MethodSource("flowsDotDependsOn")
    void withAFlowOffExactlyTheAssertionsThatDependOnItFail(String flow, EmbeddedTestbed testbed) throws Exception {
        List<String> dependent = dot.steps().stream()
                .flatMap(s -> s.sees().stream())
                .filter(s -> s.flows().contains(flow))
                .map(s -> s.id())
                .toList();
        assertThat(dependent)
                .as("the journey must say which assertions need the flow")
                .isNotEmpty();

        JourneyResult result;
        testbed.flows().disable(flow);
        try {
            result = JourneyITSupport.replay(testbed, dot);
        } finally {
            testbed.flows().enable(flow);
        }

        assertThat(result.disabledFlows()).containsExactly(flow);
        assertThat(result.actions())
                .allSatisfy(a -> assertThat(a.verdict()).as(a.detail()).isEqualTo(Verdict.PASS));
        List<AssertionResult> failed =
                result.assertions().filter(a -> a.verdict() != Verdict.PASS).toList();
        assertThat(failed).extracting(AssertionResult::id).containsExactlyInAnyOrderElementsOf(dependent);
        assertThat(failed).allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.FAIL));
        String capability = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION)
                .flow(flow)
                .orElseThrow()
                .capability();
        assertThat(result.capabilityVerdicts().get(capability).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(result.passed()).isFalse();
    }
}
