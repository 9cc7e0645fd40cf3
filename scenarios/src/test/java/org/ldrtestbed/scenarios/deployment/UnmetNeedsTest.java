package org.ldrtestbed.scenarios.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.FlowDecision;
import org.ldrtestbed.routes.contract.Withheld;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

class UnmetNeedsTest {

    private static final FlowCatalogue CATALOGUE = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private final DeploymentProfile july2017 =
            new Deployments().find("oxfordshire-2017-07").orElseThrow();

    @Test
    void aFailedNeedWhoseSendersFlowIsAbsentIsUnmetNamingSenderStatusAndNote() {
        List<AssertionResult> assertions = List.of(
                assertion("gp-sees-mh-summary", Set.of("discharge-summary"), Verdict.FAIL),
                assertion("gp-sees-acute-summary", Set.of("discharge-summary"), Verdict.PASS));
        List<Withheld> withheld = List.of(new Withheld(
                "discharge-summary",
                "SYNCM",
                List.of("SYNCM03-CEDAR"),
                FlowDecision.PROFILE,
                "not live",
                Instant.now()));

        assertThat(UnmetNeeds.of(assertions, july2017, withheld, CATALOGUE))
                .singleElement()
                .satisfies(n -> {
                    assertThat(n.assertionId()).isEqualTo("gp-sees-mh-summary");
                    assertThat(n.need()).isEqualTo("title of gp-sees-mh-summary");
                    assertThat(n.capability()).isEqualTo("e");
                    assertThat(n.flow()).isEqualTo("discharge-summary");
                    assertThat(n.sourceOrganisation()).isEqualTo("SYNCM");
                    assertThat(n.sourceService()).isEqualTo("SYNCM03");
                    assertThat(n.status()).isEqualTo("absent");
                    assertThat(n.note()).isEqualTo("all providers except mental health");
                });
    }

    @Test
    void aFlowPlannedForEverySenderIsUnmetWithItsDateEvenWhenNothingWasHeld() {
        List<AssertionResult> assertions =
                List.of(assertion("council-sees-plan", Set.of("cp-is-plan-upload"), Verdict.FAIL));

        assertThat(UnmetNeeds.of(assertions, july2017, List.of(), CATALOGUE))
                .singleElement()
                .satisfies(n -> {
                    assertThat(n.capability()).isEqualTo("g");
                    assertThat(n.status()).isEqualTo("planned");
                    assertThat(n.planned()).isEqualTo("2018-03");
                    assertThat(n.note()).contains("county council");
                });
    }

    @Test
    void failuresOfLiveFlowsOrOfAnotherSwitchAreNoUnmetNeedOfTheProfile() {
        List<AssertionResult> assertions = List.of(
                assertion("a", Set.of("gp-summary"), Verdict.FAIL),
                assertion("b", Set.of("discharge-summary"), Verdict.FAIL),
                assertion("c", Set.of(), Verdict.FAIL));
        List<Withheld> withheld = List.of(
                new Withheld("gp-summary", "SYNG09", List.of(), FlowDecision.RUN, "off for run", Instant.now()),
                new Withheld("discharge-summary", "SYNAC", List.of(), FlowDecision.SERVER, "off", Instant.now()));

        assertThat(UnmetNeeds.of(assertions, july2017, withheld, CATALOGUE)).isEmpty();
        assertThat(UnmetNeeds.of(assertions, null, withheld, CATALOGUE)).isEmpty();
    }

    private static AssertionResult assertion(String id, Set<String> flows, Verdict verdict) {
        return new AssertionResult("step", id, "title of " + id, Set.of("e"), flows, "query", verdict, "detail", 1);
    }
}
