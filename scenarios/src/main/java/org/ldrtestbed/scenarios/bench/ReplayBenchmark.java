package org.ldrtestbed.scenarios.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.ldrtestbed.scenarios.engine.JourneyRunner;
import org.ldrtestbed.scenarios.engine.ReplayTimer;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.report.JourneyResult;

/**
 * Measures a journey's replay on a booted testbed: one unmeasured warm-up run, then {@code runs} measured ones, each
 * with where its time went (the engine's FHIR calls, token requests, waits for flows and admin calls, as a
 * {@link ReplayTimer} is told them; the rest is the engine's own work).
 */
public final class ReplayBenchmark {

    /** Where one run's time went. */
    public record Run(
            double seconds,
            boolean passed,
            int assertions,
            Map<ReplayTimer.Kind, Long> counts,
            Map<ReplayTimer.Kind, Long> nanos) {

        /** Seconds spent on that kind of work. */
        public double seconds(ReplayTimer.Kind kind) {
            return nanos.getOrDefault(kind, 0L) / 1e9;
        }

        /** What the kinds leave: the engine's own work (templates, parsing, FHIRPath, MLLP). */
        public double otherSeconds() {
            return seconds - nanos.values().stream().mapToLong(Long::longValue).sum() / 1e9;
        }
    }

    /** The measured runs and the boot before them. */
    public record Result(String journey, double bootSeconds, List<Run> runs) {

        /** The runs' wall times, in milliseconds. */
        public Latencies millis() {
            return Latencies.of(runs.stream().map(r -> r.seconds() * 1000).toList());
        }

        /** The share of all measured time spent on that kind of work. */
        public double share(ReplayTimer.Kind kind) {
            return runs.stream().mapToDouble(r -> r.seconds(kind)).sum() / total();
        }

        public double otherShare() {
            return runs.stream().mapToDouble(Run::otherSeconds).sum() / total();
        }

        public long passed() {
            return runs.stream().filter(Run::passed).count();
        }

        private double total() {
            return runs.stream().mapToDouble(Run::seconds).sum();
        }
    }

    private final JourneyRunner runner;
    private final Recorder recorder = new Recorder();

    public ReplayBenchmark(JourneyRunner runner) {
        this.runner = runner.withTimer(recorder);
    }

    /** Replays the journey once unmeasured, then {@code runs} times measured, a line a run. */
    public Result run(Journey journey, int runs, double bootSeconds, PrintStream out) throws InterruptedException {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1");
        }
        out.printf("Warm-up replay of %s (not counted)...%n", journey.id());
        Run warmUp = replay(journey);
        out.println("  warm-up " + describe(warmUp));
        List<Run> measured = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Run run = replay(journey);
            measured.add(run);
            out.printf("  run %2d  %s%n", i, describe(run));
        }
        return new Result(journey.id(), bootSeconds, measured);
    }

    private Run replay(Journey journey) throws InterruptedException {
        recorder.reset();
        long t0 = System.nanoTime();
        JourneyResult result = runner.run(journey);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(
                seconds, result.passed(), (int) result.assertions().count(), recorder.counts(), recorder.nanos());
    }

    private static String describe(Run run) {
        return String.format(
                Locale.ROOT,
                "%6.2f s  %s  fhir %d calls %.2f s, waiting %.2f s (%d), tokens %d %.2f s, admin %d %.2f s, other %.2f s",
                run.seconds(),
                run.passed() ? "passed" : "FAILED",
                run.counts().getOrDefault(ReplayTimer.Kind.FHIR_CALL, 0L),
                run.seconds(ReplayTimer.Kind.FHIR_CALL),
                run.seconds(ReplayTimer.Kind.WAITING),
                run.counts().getOrDefault(ReplayTimer.Kind.WAITING, 0L),
                run.counts().getOrDefault(ReplayTimer.Kind.TOKEN_REQUEST, 0L),
                run.seconds(ReplayTimer.Kind.TOKEN_REQUEST),
                run.counts().getOrDefault(ReplayTimer.Kind.ADMIN_CALL, 0L),
                run.seconds(ReplayTimer.Kind.ADMIN_CALL),
                run.otherSeconds());
    }

    /** The summary; its last line is {@code bench replay: boot_s=… p50_s=… p99_s=…} and more key=value pairs. */
    public static void print(Result result, PrintStream out) {
        Latencies millis = result.millis();
        List<Run> runs = result.runs();
        out.printf(
                Locale.ROOT,
                "%nReplay of %s, %d measured runs (%d passed), %d assertions a run: p50 %.2f s, p99 %.2f s, max %.2f s;"
                        + " boot %.1f s%n",
                result.journey(),
                runs.size(),
                result.passed(),
                runs.getFirst().assertions(),
                millis.p50() / 1000,
                millis.p99() / 1000,
                millis.max() / 1000,
                result.bootSeconds());
        out.println("Where the time goes (all measured runs together):");
        for (ReplayTimer.Kind kind : ReplayTimer.Kind.values()) {
            long count = runs.stream()
                    .mapToLong(r -> r.counts().getOrDefault(kind, 0L))
                    .sum();
            double total = runs.stream().mapToDouble(r -> r.seconds(kind)).sum();
            out.printf(
                    Locale.ROOT,
                    "  %-14s %5.1f %%  %7.2f s a run, %6.1f a run, %.1f ms each%n",
                    label(kind),
                    100 * result.share(kind),
                    total / runs.size(),
                    (double) count / runs.size(),
                    count == 0 ? 0 : 1000 * total / count);
        }
        out.printf(
                Locale.ROOT,
                "  %-14s %5.1f %%  %7.2f s a run (the engine's own work: templates, parsing, FHIRPath, MLLP)%n",
                "other",
                100 * result.otherShare(),
                runs.stream().mapToDouble(Run::otherSeconds).sum() / runs.size());
        out.printf(
                Locale.ROOT,
                "bench replay: boot_s=%.1f p50_s=%.2f p99_s=%.2f runs=%d passed=%d waiting_share=%.2f fhir_share=%.2f"
                        + " token_share=%.2f%n",
                result.bootSeconds(),
                millis.p50() / 1000,
                millis.p99() / 1000,
                runs.size(),
                result.passed(),
                result.share(ReplayTimer.Kind.WAITING),
                result.share(ReplayTimer.Kind.FHIR_CALL),
                result.share(ReplayTimer.Kind.TOKEN_REQUEST));
    }

    private static String label(ReplayTimer.Kind kind) {
        return switch (kind) {
            case FHIR_CALL -> "FHIR calls";
            case TOKEN_REQUEST -> "token requests";
            case WAITING -> "waiting";
            case ADMIN_CALL -> "admin calls";
        };
    }

    /** Adds up what the engine tells, per kind; the engine may tell from several threads. */
    private static final class Recorder implements ReplayTimer {

        private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);
        private final Map<Kind, LongAdder> nanos = new EnumMap<>(Kind.class);

        Recorder() {
            for (Kind kind : Kind.values()) {
                counts.put(kind, new LongAdder());
                nanos.put(kind, new LongAdder());
            }
        }

        @Override
        public void spent(Kind kind, long elapsed) {
            counts.get(kind).increment();
            nanos.get(kind).add(elapsed);
        }

        void reset() {
            counts.values().forEach(LongAdder::reset);
            nanos.values().forEach(LongAdder::reset);
        }

        Map<Kind, Long> counts() {
            return snapshot(counts);
        }

        Map<Kind, Long> nanos() {
            return snapshot(nanos);
        }

        private static Map<Kind, Long> snapshot(Map<Kind, LongAdder> adders) {
            Map<Kind, Long> values = new EnumMap<>(Kind.class);
            adders.forEach((kind, adder) -> values.put(kind, adder.sum()));
            return values;
        }
    }
}
