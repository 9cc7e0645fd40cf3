package org.ldrtestbed.scenarios.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The journey's clock during a replay: at a step's instant ({@code start} + the step's {@code at}) when the step
 * begins, moving on with the wall clock while the step runs. Every request of the run carries it
 * ({@code X-Ldr-Simulated-Time}), so the server stamps what the step causes on the journey's time, and a step's
 * later requests are never earlier than its first.
 */
final class JourneyClock {

    private final Clock wall;
    private volatile Instant stepInstant;
    private volatile Instant wallAtStep;

    /** @param start where the clock stands before the first step */
    JourneyClock(Clock wall, Instant start) {
        this.wall = wall;
        begin(start);
    }

    /** A step begins: the clock stands at its instant. */
    void begin(Instant step) {
        this.wallAtStep = wall.instant();
        this.stepInstant = step;
    }

    /** Now on the journey's clock. */
    Instant now() {
        return stepInstant.plus(Duration.between(wallAtStep, wall.instant()));
    }
}
