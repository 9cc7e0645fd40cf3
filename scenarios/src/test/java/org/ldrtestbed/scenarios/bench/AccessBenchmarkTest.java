package org.ldrtestbed.scenarios.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.scenarios.bench.AccessBenchmark.Comparison;
import org.ldrtestbed.scenarios.bench.AccessBenchmark.Figures;

class AccessBenchmarkTest {

    private static Figures figures(double p50, double p99, double throughput) {
        return new Figures(new Latencies(100, p50, p99, p99), throughput);
    }

    @Test
    void ratiosAreOnOverOff() {
        Comparison read = new Comparison("read", "gp.ashdown (SYNG09)", figures(12, 30, 80), figures(8, 20, 100));

        assertThat(read.p50Ratio()).isCloseTo(1.5, within(1e-9));
        assertThat(read.p99Ratio()).isCloseTo(1.5, within(1e-9));
        assertThat(read.throughputRatio()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void tableHasOnOffAndRatioRowsAndSaysWhatOnIncludes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AccessBenchmark.print(
                List.of(new Comparison(
                        "search", "edconsultant.marsh (SYNAC)", figures(20, 40, 50), figures(10, 20, 100))),
                new AccessBenchmark.Settings(20, 10, 5, 100, 4),
                "somewhere",
                "the policy",
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("search")
                        .contains("edconsultant.marsh (SYNAC)", "ON", "20.0", "40.0", "50.0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("OFF", "10.0", "20.0", "100.0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("ON/OFF", "2.00", "2.00", "0.50"));
        assertThat(lines).contains("ON: the policy");
        assertThat(lines.getLast())
                .isEqualTo("bench access: search.edconsultant.marsh.p50-ratio=2.00"
                        + " search.edconsultant.marsh.p99-ratio=2.00 search.edconsultant.marsh.throughput-ratio=0.50");
    }

    @Test
    void settingsRefuseNothingToMeasure() {
        assertThatThrownBy(() -> new AccessBenchmark.Settings(20, 10, 50, 0, 4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessBenchmark.Settings(20, 10, 50, 300, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
