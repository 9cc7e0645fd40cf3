package org.ldrtestbed.scenarios.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Percentiles of one measured series, in milliseconds, by the nearest-rank method: p99 of 300 samples is the 297th
 * smallest, a value that was actually measured.
 *
 * @param count how many samples
 */
public record Latencies(int count, double p50, double p99, double max) {

    public static Latencies of(Collection<Double> millis) {
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no latencies measured");
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return new Latencies(sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.getLast());
    }

    /** The smallest sample with at least {@code p} of the samples at or below it. */
    static double percentile(List<Double> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
