package org.ldrtestbed.scenarios.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRankWhateverTheOrderMeasured() {
        List<Double> millis = new ArrayList<>(
                IntStream.rangeClosed(1, 300).mapToObj(i -> (double) i).toList());
        Collections.shuffle(millis);

        Latencies latencies = Latencies.of(millis);

        assertThat(latencies.count()).isEqualTo(300);
        assertThat(latencies.p50()).isEqualTo(150.0);
        assertThat(latencies.p99()).isEqualTo(297.0);
        assertThat(latencies.max()).isEqualTo(300.0);
    }

    @Test
    void fewSamplesGiveSamplesThatWereMeasured() {
        assertThat(Latencies.of(List.of(7.0))).isEqualTo(new Latencies(1, 7.0, 7.0, 7.0));
        Latencies three = Latencies.of(List.of(3.0, 1.0, 2.0));
        assertThat(three.p50()).isEqualTo(2.0);
        assertThat(three.p99()).isEqualTo(3.0);
    }

    @Test
    void nothingMeasuredIsAnError() {
        assertThatThrownBy(() -> Latencies.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
