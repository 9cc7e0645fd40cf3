package org.ldrtestbed.routes.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ldrtestbed.routes.messagelog.FlowHeaders;

/**
 * The journey runs' simulated clocks. A run's clock stands at the simulated instant its client last told the server
 * (the {@code X-Ldr-Simulated-Time} of a trusted request) and moves on with the wall clock from there, so what a
 * run's request causes later (an asynchronous delivery, an HL7v2 message of the run's patient) is stamped on the
 * journey's clock too. Everything outside a run keeps the wall clock. Plain Java; a server keeps the runs in memory,
 * as it keeps their switches.
 */
public final class RunClock {

    private final Clock wall;
    private final Map<String, Anchor> anchors = new ConcurrentHashMap<>();

    /** @param wall the server's own clock (the system clock unless a test moves it) */
    public RunClock(Clock wall) {
        this.wall = wall;
    }

    /** The server's own clock, for everything no run causes. */
    public Clock wall() {
        return wall;
    }

    /** Sets a run's clock to this simulated instant, now. */
    public void set(String run, Instant simulated) {
        if (run != null && !run.isBlank() && simulated != null) {
            anchors.put(run, new Anchor(simulated, wall.instant()));
        }
    }

    /** Now on the run's clock; the wall clock's now for no run or a run whose client never set its time. */
    public Instant now(String run) {
        Anchor anchor = run == null ? null : anchors.get(run);
        return anchor == null ? wall.instant() : anchor.at(wall);
    }

    /** Forgets a run's clock (its run has ended); true when it had one. */
    public boolean forget(String run) {
        return run != null && anchors.remove(run) != null;
    }

    /**
     * Now on the clock of the write that started a flow message: the instant the message's headers give for its
     * trigger ({@link FlowHeaders#RUN_CLOCK_AT}) plus the wall time since then ({@link FlowHeaders#COMMITTED_AT}).
     * Carried in the message itself, so a delivery after a restart or a replay is still on its run's clock. A message
     * without them (none of a run's) is on the wall clock.
     */
    public static Instant now(Map<String, ?> headers, Clock wall) {
        Long clockAt = millis(headers.get(FlowHeaders.RUN_CLOCK_AT));
        Long committedAt = millis(headers.get(FlowHeaders.COMMITTED_AT));
        if (clockAt == null || committedAt == null) {
            return wall.instant();
        }
        return new Anchor(Instant.ofEpochMilli(clockAt), Instant.ofEpochMilli(committedAt)).at(wall);
    }

    private static Long millis(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A simulated instant and the wall instant it was true at. */
    private record Anchor(Instant simulated, Instant wallAt) {

        Instant at(Clock wall) {
            return simulated.plus(Duration.between(wallAt, wall.instant()));
        }
    }
}
