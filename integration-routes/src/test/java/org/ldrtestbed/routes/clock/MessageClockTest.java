package org.ldrtestbed.routes.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MessageClockTest {

    private static final Instant WALL = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant MESSAGE = Instant.parse("2026-01-20T09:30:00Z");

    private final MessageClock clock = new MessageClock(Clock.fixed(WALL, ZoneOffset.UTC));

    @Test
    void aMessageBeingWorkedOnStampsWithItsOwnInstantAndNothingElseDoes() {
        assertThat(clock.instant()).isEqualTo(WALL);
        assertThat(MessageClock.at(MESSAGE, clock::instant)).isEqualTo(MESSAGE);
        assertThat(clock.instant()).isEqualTo(WALL);
    }

    @Test
    void anotherThreadIsNotOnTheMessagesClock() throws Exception {
        Instant[] seen = new Instant[1];
        MessageClock.at(MESSAGE, () -> {
            Thread other = new Thread(() -> seen[0] = clock.instant());
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        assertThat(seen[0]).isEqualTo(WALL);
    }

    @Test
    void nestedBindingsRestoreTheOuterOne() {
        Instant inner = MESSAGE.plusSeconds(60);
        assertThat(MessageClock.at(MESSAGE, () -> {
                    MessageClock.at(inner, clock::instant);
                    return clock.instant();
                }))
                .isEqualTo(MESSAGE);
    }
}
