package org.ldrtestbed.scenarios.ablation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.ablation.Ablation.Kind;
import org.ldrtestbed.scenarios.ablation.Ablation.Switch;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyLoader;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

class AblationTest {

    private static final FlowCatalogue FLOWS = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private static final Journey JOURNEY =
            new JourneyLoader(FLOWS).load(Path.of("src/test/resources/engine-fixtures/write.journey.yaml"));

    @Test
    void aJourneyIsAblatedByEachCapabilityItClaimsThenEachFlowItNames() {
        assertThat(new Ablation(FLOWS).switches(JOURNEY))
                .containsExactly(new Switch(Kind.CAPABILITY, "b"), new Switch(Kind.FLOW, "gp-additional-information"));
    }

    @Test
    void whatIsTaggedAndFailsAgrees() {
        Switch off = new Switch(Kind.CAPABILITY, "b");
        Ablation.Outcome outcome =
                Ablation.judge(JOURNEY, off, result(Map.of("write-sees-copd", Verdict.FAIL)), Duration.ZERO);

        assertThat(outcome.expected()).containsExactly("write-sees-copd");
        assertThat(outcome.agrees()).isTrue();
    }

    @Test
    void aTaggedAssertionThatStillPassesIsEvidenceTheFileDoesNotHold() {
        Switch off = new Switch(Kind.FLOW, "gp-additional-information");
        Ablation.Outcome outcome = Ablation.judge(JOURNEY, off, result(Map.of()), Duration.ZERO);

        assertThat(outcome.taggedButPassed()).containsExactly("write-sees-copd");
        assertThat(outcome.agrees()).isFalse();
    }

    @Test
    void aFailureWithoutTheTagIsAnUndeclaredDependency() {
        Switch off = new Switch(Kind.CAPABILITY, "b");
        Ablation.Outcome outcome = Ablation.judge(
                JOURNEY, off, result(Map.of("write-sees-copd", Verdict.FAIL, "untagged", Verdict.FAIL)), Duration.ZERO);

        assertThat(outcome.failedUntagged()).extracting(AssertionResult::id).containsExactly("untagged");
        assertThat(outcome.agrees()).isFalse();
    }

    @Test
    void aSwitchedOffCapabilityIsEveryFlowOfIt() {
        assertThat(new Switch(Kind.CAPABILITY, "b").settings(FLOWS).disabledFlows())
                .contains("gp-additional-information")
                .allSatisfy(f ->
                        assertThat(FLOWS.flow(f).orElseThrow().capability()).isEqualTo("b"));
        assertThat(new Switch(Kind.FLOW, "gp-summary").settings(FLOWS).disabledFlows())
                .containsExactly("gp-summary");
    }

    /** A replay where the named assertions have those verdicts, one more context assertion passed, actions passed. */
    private static JourneyResult result(Map<String, Verdict> verdicts) {
        List<AssertionResult> assertions = new java.util.ArrayList<>();
        assertions.add(assertion("write-sees-copd", verdicts.getOrDefault("write-sees-copd", Verdict.PASS)));
        assertions.add(assertion("untagged", verdicts.getOrDefault("untagged", Verdict.PASS)));
        StepResult step = new StepResult(
                "paramedic-sees-problem",
                "t",
                false,
                "paramedic @ SYNAM",
                "paramedic.hale",
                Instant.EPOCH,
                List.of(new ActionResult("write", Verdict.PASS, "wrote")),
                assertions);
        return new JourneyResult(
                JOURNEY.id(),
                JOURNEY.title(),
                "f",
                "run-1",
                "http://x/fhir",
                Instant.EPOCH,
                Duration.ZERO,
                "9990000018",
                Set.of(),
                List.of(),
                List.of(step),
                List.of(),
                null,
                List.of(),
                Map.of());
    }

    private static AssertionResult assertion(String id, Verdict verdict) {
        return new AssertionResult("paramedic-sees-problem", id, id, Set.of("b"), Set.of(), "q", verdict, "d", 0);
    }
}
