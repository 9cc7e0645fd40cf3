package org.ldrtestbed.scenarios.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class JourneyClockTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private final Instant[] wallNow = {Instant.parse("2026-12-07T01:00:00Z")};
    private final Clock wall = new Clock() {
        @Override
        public Instant instant() {
            return wallNow[0];
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    @Test
    void beforeTheFirstStepItStandsAtTheJourneysStart() {
        assertThat(new JourneyClock(wall, START).now()).isEqualTo(START);
    }

    @Test
    void aStepBeginsAtItsInstantAndItsTimeMovesOnWithTheWall() {
        JourneyClock clock = new JourneyClock(wall, START);
        wallNow[0] = wallNow[0].plusSeconds(7);
        clock.begin(START.plus(Duration.ofHours(2)));
        wallNow[0] = wallNow[0].plusSeconds(3);

        assertThat(clock.now()).isEqualTo(START.plus(Duration.ofHours(2)).plusSeconds(3));
    }

    @Test
    void aBackgroundStepSetsItBackToTheStepsInstant() {
        JourneyClock clock = new JourneyClock(wall, START);
        clock.begin(START.minus(Duration.ofDays(800)));

        assertThat(clock.now()).isEqualTo(START.minus(Duration.ofDays(800)));
    }
}
