package org.ldrtestbed.scenarios.population;

import java.util.SplittableRandom;

/**
 * Random streams keyed by what they are for (the run's seed, a resident's index, an event's ordinal) rather than
 * by the order they are asked for: a resident's draws do not depend on who else is generated, so a replay can later
 * be partitioned by patient and still give the same population.
 */
final class Seeds {

    private Seeds() {}

    static SplittableRandom stream(long seed, long... keys) {
        long h = mix(seed ^ 0x5851F42D4C957F2DL);
        for (long key : keys) {
            h = mix(h ^ mix(key + 0x9E3779B97F4A7C15L));
        }
        return new SplittableRandom(h);
    }

    // SplitMix64's finaliser: neighbouring keys give unrelated seeds.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
