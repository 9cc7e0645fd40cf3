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
    /** One field, so a request on another thread never pairs one step's instant with another's wall time. */
    private volatile Anchor anchor;

    private record Anchor(Instant step, Instant wallAtStep) {}

    /** @param start where the clock stands before the first step */
    JourneyClock(Clock wall, Instant start) {
        this.wall = wall;
        begin(start);
    }

    /** A step begins: the clock stands at its instant. */
    void begin(Instant step) {
        this.anchor = new Anchor(step, wall.instant());
    }

    /** Now on the journey's clock. */
    Instant now() {
        Anchor at = anchor;
        return at.step().plus(Duration.between(at.wallAtStep(), wall.instant()));
    }
}
