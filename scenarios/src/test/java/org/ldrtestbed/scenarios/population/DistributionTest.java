package org.ldrtestbed.scenarios.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Sample means of 10,000 draws (fixed seed, so the test is not flaky) land near each distribution's parameters. */
class DistributionTest {

    private static final int DRAWS = 10_000;

    @Test
    void fixedAlwaysGivesItsValue() {
        Distribution fixed = new Distribution.Fixed(Duration.ofHours(4));
        SplittableRandom random = new SplittableRandom(1);
        assertThat(IntStream.range(0, 100).mapToObj(i -> fixed.sample(random))).containsOnly(Duration.ofHours(4));
    }

    @Test
    void uniformStaysInItsRangeAndCentresOnItsMidpoint() {
        Distribution uniform = new Distribution.Uniform(Duration.ofHours(1), Duration.ofHours(4));
        double[] draws = draws(uniform, 11);
        assertThat(Arrays.stream(draws).min().orElseThrow()).isGreaterThanOrEqualTo(3_600);
        assertThat(Arrays.stream(draws).max().orElseThrow()).isLessThanOrEqualTo(14_400);
        assertThat(mean(draws)).isCloseTo(9_000, within(9_000 * 0.02));
    }

    @Test
    void exponentialMeanIsItsParameter() {
        Distribution exponential = new Distribution.Exponential(Duration.ofHours(3));
        assertThat(mean(draws(exponential, 12))).isCloseTo(10_800, within(10_800 * 0.03));
    }

    @Test
    void lognormalHalfBelowItsMedianAndMeanAsTheFormulaSays() {
        Distribution.LogNormal lognormal = new Distribution.LogNormal(Duration.ofDays(2), 0.6);
        double[] draws = draws(lognormal, 13);
        long below = Arrays.stream(draws).filter(s -> s < 172_800).count();
        assertThat(below / (double) DRAWS).isCloseTo(0.5, within(0.02));
        // mean = median · exp(σ²/2) = 2 days · 1.197
        assertThat(lognormal.meanSeconds()).isCloseTo(172_800 * Math.exp(0.18), within(1.0));
        assertThat(mean(draws)).isCloseTo(lognormal.meanSeconds(), within(lognormal.meanSeconds() * 0.03));
    }

    @Test
    void theSameSeedDrawsTheSameDelays() {
        Distribution lognormal = new Distribution.LogNormal(Duration.ofDays(2), 0.6);
        assertThat(draws(lognormal, 5)).containsExactly(draws(lognormal, 5));
        assertThat(draws(lognormal, 5)).isNotEqualTo(draws(lognormal, 6));
    }

    private static double[] draws(Distribution d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return IntStream.range(0, DRAWS)
                .mapToDouble(i -> d.sample(random).toSeconds())
                .toArray();
    }

    private static double mean(double[] draws) {
        return Arrays.stream(draws).average().orElseThrow();
    }
}
