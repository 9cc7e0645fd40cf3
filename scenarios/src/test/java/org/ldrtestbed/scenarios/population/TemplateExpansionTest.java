package org.ldrtestbed.scenarios.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The shipped COPD template, expanded for fixed seeds: reproducible, and its branches taken as often as it says. */
class TemplateExpansionTest {

    private static final int PATIENTS = 10_000;

    private final JourneyTemplate copd = new TemplateLoader().loadResource(TemplateLoader.COPD_EXACERBATION);

    @Test
    void theSameSeedGivesTheSameJourneyByteForByteAndAnotherSeedAnother() {
        Map<String, Object> dot = patient(78, true);
        String first =
                TemplateExpansion.expand(copd, dot, new SplittableRandom(42)).render();
        String again =
                TemplateExpansion.expand(copd, dot, new SplittableRandom(42)).render();
        String other =
                TemplateExpansion.expand(copd, dot, new SplittableRandom(43)).render();

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void aJourneyRunsForwardInTimeFromTheExacerbationToTheGpWithWhoActs() {
        ExpandedJourney journey = TemplateExpansion.expand(copd, patient(78, true), new SplittableRandom(7));

        assertThat(journey.visits().getFirst().state()).isEqualTo("breathless-at-home");
        assertThat(journey.visits().getFirst().at()).isEqualTo(Duration.ZERO);
        assertThat(journey.visits().getLast().state()).isEqualTo("gp-review");
        assertThat(journey.visits().getLast().organisation()).contains("SYNG09");
        for (int i = 1; i < journey.visits().size(); i++) {
            assertThat(journey.visits().get(i).at())
                    .isGreaterThanOrEqualTo(journey.visits().get(i - 1).at());
        }
        ExpandedJourney.Visit optimised =
                journey.marked("medically-optimised-for-discharge").orElseThrow();
        assertThat(optimised.organisation()).contains("SYNAC");
        assertThat(journey.marked("discharged").orElseThrow().at()).isGreaterThan(optimised.at());
        assertThat(journey.visits().stream()
                        .filter(v -> v.marks().stream().anyMatch(m -> m.startsWith("discharge-pathway-"))))
                .hasSize(1);
    }

    @Test
    void pathwaysAreTakenAsOftenAsTheBranchForTheUnder85sLivingWithOthersSays() {
        assertShares(patient(70, false), 0.60, 0.32, 0.06, 0.02);
    }

    @Test
    void peopleLivingAloneTakeTheirOwnBranch() {
        assertShares(patient(70, true), 0.45, 0.40, 0.12, 0.03);
    }

    @Test
    void theOver85sBranchComesFirstWhetherOrNotTheyLiveAlone() {
        assertShares(patient(90, true), 0.30, 0.35, 0.25, 0.10);
        assertShares(patient(85, false), 0.30, 0.35, 0.25, 0.10);
    }

    @Test
    void theDelayToDischargeGrowsWithThePathwayAsItsDistributionsSay() {
        Map<Integer, double[]> delays = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < PATIENTS; i++) {
            ExpandedJourney j = TemplateExpansion.expand(copd, patient(90, true), random);
            int pathway = pathway(j);
            double days = Duration.between(
                                    Instant.EPOCH.plus(j.marked("medically-optimised-for-discharge")
                                            .orElseThrow()
                                            .at()),
                                    Instant.EPOCH.plus(
                                            j.marked("discharged").orElseThrow().at()))
                            .toSeconds()
                    / 86_400.0;
            delays.computeIfAbsent(pathway, p -> new double[2]);
            delays.get(pathway)[0] += days;
            delays.get(pathway)[1]++;
        }
        // Mean = hub triage (uniform 1-4 h, mean 2.5 h) + the pathway's lognormal mean, median · exp(σ²/2).
        double triage = 2.5 / 24;
        assertThat(mean(delays.get(0))).isCloseTo(triage + 0.25 * Math.exp(0.125), within(0.05));
        assertThat(mean(delays.get(1))).isCloseTo(triage + 2 * Math.exp(0.18), within(0.15));
        assertThat(mean(delays.get(2))).isCloseTo(triage + 4 * Math.exp(0.18), within(0.3));
        assertThat(mean(delays.get(3))).isCloseTo(triage + 8 * Math.exp(0.245), within(0.8));
    }

    @Test
    void aPatientWithoutAnAttributeTheTemplateReadsIsRefused() {
        assertThatThrownBy(() -> TemplateExpansion.expand(copd, Map.of("age", 70L), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs attribute lives-alone (boolean)");
    }

    /**
     * Shares of pathways 0-3 over 10,000 patients match the branch's probabilities within 0.015 (three standard
     * errors at p = 0.5); the seed is fixed, so the test is not flaky.
     */
    private void assertShares(Map<String, Object> patient, double... expected) {
        int[] counts = new int[4];
        SplittableRandom random = new SplittableRandom(2026);
        for (int i = 0; i < PATIENTS; i++) {
            counts[pathway(TemplateExpansion.expand(copd, patient, random))]++;
        }
        for (int p = 0; p < 4; p++) {
            assertThat(counts[p] / (double) PATIENTS).as("pathway %d", p).isCloseTo(expected[p], within(0.015));
        }
    }

    private static int pathway(ExpandedJourney journey) {
        return journey.visits().stream()
                .flatMap(v -> v.marks().stream())
                .filter(m -> m.startsWith("discharge-pathway-"))
                .map(m -> Integer.parseInt(m.substring("discharge-pathway-".length())))
                .findFirst()
                .orElseThrow();
    }

    private static double mean(double[] sumAndCount) {
        return sumAndCount[0] / sumAndCount[1];
    }

    private static Map<String, Object> patient(long age, boolean livesAlone) {
        return Map.of("age", age, "lives-alone", livesAlone, "practice", "SYNG09");
    }
}
