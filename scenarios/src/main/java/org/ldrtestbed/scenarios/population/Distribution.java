package org.ldrtestbed.scenarios.population;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * A delay drawn from a named distribution, as a template states it. Draws are whole seconds, so that an expansion
 * rendered as text is the same byte for byte on every run with the same seed.
 */
public sealed interface Distribution {

    /** One delay, drawn from {@code random}; never negative. */
    Duration sample(RandomGenerator random);

    /** The distribution's mean, in seconds: what a sample mean over many draws approaches. */
    double meanSeconds();

    /** Always {@code value}. */
    record Fixed(Duration value) implements Distribution {
        @Override
        public Duration sample(RandomGenerator random) {
            return value;
        }

        @Override
        public double meanSeconds() {
            return value.toSeconds();
        }
    }

    /** Evenly between {@code min} and {@code max}. */
    record Uniform(Duration min, Duration max) implements Distribution {
        public Uniform {
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("max " + max + " is below min " + min);
            }
        }

        @Override
        public Duration sample(RandomGenerator random) {
            double span = max.toSeconds() - min.toSeconds();
            return seconds(min.toSeconds() + random.nextDouble() * span);
        }

        @Override
        public double meanSeconds() {
            return (min.toSeconds() + max.toSeconds()) / 2.0;
        }
    }

    /** Memoryless waiting, with mean {@code mean}. */
    record Exponential(Duration mean) implements Distribution {
        @Override
        public Duration sample(RandomGenerator random) {
            return seconds(random.nextExponential() * mean.toSeconds());
        }

        @Override
        public double meanSeconds() {
            return mean.toSeconds();
        }
    }

    /**
     * Skewed waiting, as lengths of stay and delays to discharge are: half the draws below {@code median}, a long
     * tail whose weight {@code sigma} (the standard deviation of the logarithm) sets.
     */
    record LogNormal(Duration median, double sigma) implements Distribution {
        @Override
        public Duration sample(RandomGenerator random) {
            return seconds(median.toSeconds() * Math.exp(sigma * random.nextGaussian()));
        }

        @Override
        public double meanSeconds() {
            return median.toSeconds() * Math.exp(sigma * sigma / 2);
        }
    }

    private static Duration seconds(double value) {
        return Duration.ofSeconds(Math.max(0, Math.round(value)));
    }
}
