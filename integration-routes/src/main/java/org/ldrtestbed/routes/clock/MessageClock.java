package org.ldrtestbed.routes.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.Supplier;

/**
 * The clock a flow's translator and delivery stamp with ({@code FlowWiring.clock()}): while a route works on a
 * message, that message's own instant on its run's clock ({@link RunClock#now(java.util.Map, Clock)}); otherwise the
 * server's. Translators and deliveries take a plain {@code Clock} or {@code Instant} and know nothing of runs.
 */
public final class MessageClock extends Clock {

    private static final ThreadLocal<Instant> BOUND = new ThreadLocal<>();

    private final Clock wall;

    public MessageClock(Clock wall) {
        this.wall = wall;
    }

    /** The server's own clock. */
    public Clock wall() {
        return wall;
    }

    /** Runs {@code work} with this thread's message at {@code instant}. */
    public static <T> T at(Instant instant, Supplier<T> work) {
        Instant before = BOUND.get();
        BOUND.set(instant);
        try {
            return work.get();
        } finally {
            if (before == null) {
                BOUND.remove();
            } else {
                BOUND.set(before);
            }
        }
    }

    /** As {@link #at(Instant, Supplier)}, for work with no result. */
    public static void at(Instant instant, Runnable work) {
        at(instant, () -> {
            work.run();
            return null;
        });
    }

    @Override
    public Instant instant() {
        Instant bound = BOUND.get();
        return bound != null ? bound : wall.instant();
    }

    @Override
    public ZoneId getZone() {
        return wall.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MessageClock(wall.withZone(zone));
    }
}
