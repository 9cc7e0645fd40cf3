package org.ldrtestbed.routes.clock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.messagelog.FlowHeaders;

class RunClockTest {

    private static final Instant JOURNEY = Instant.parse("2026-03-02T09:00:00Z");

    /** A wall clock the test moves by hand; its own time is hours away from the journey's. */
    private final MovableClock wall = new MovableClock(Instant.parse("2026-12-07T01:00:00Z"));

    private final RunClock clocks = new RunClock(wall);

    @Test
    void aRunsClockStandsWhereItWasSetAndMovesOnWithTheWall() {
        clocks.set("run-1", JOURNEY);
        wall.advance(Duration.ofSeconds(40));

        assertThat(clocks.now("run-1")).isEqualTo(JOURNEY.plusSeconds(40));
    }

    @Test
    void settingItAgainMovesItToTheNewInstant() {
        clocks.set("run-1", JOURNEY);
        wall.advance(Duration.ofSeconds(5));
        clocks.set("run-1", JOURNEY.plus(Duration.ofHours(2)));

        assertThat(clocks.now("run-1")).isEqualTo(JOURNEY.plus(Duration.ofHours(2)));
    }

    @Test
    void noRunOrAnUnknownOrForgottenRunIsOnTheWallClock() {
        clocks.set("run-1", JOURNEY);
        assertThat(clocks.forget("run-1")).isTrue();

        assertThat(clocks.now(null)).isEqualTo(wall.instant());
        assertThat(clocks.now("run-2")).isEqualTo(wall.instant());
        assertThat(clocks.now("run-1")).isEqualTo(wall.instant());
    }

    @Test
    void runsKeepTheirOwnClocks() {
        clocks.set("run-1", JOURNEY);
        clocks.set("run-2", JOURNEY.minus(Duration.ofDays(800)));

        assertThat(clocks.now("run-1")).isEqualTo(JOURNEY);
        assertThat(clocks.now("run-2")).isEqualTo(JOURNEY.minus(Duration.ofDays(800)));
    }

    @Test
    void aFlowMessageIsOnTheClockOfTheWriteThatStartedItHoweverLateItIsHandled() {
        Map<String, Object> headers =
                Map.of(FlowHeaders.RUN_CLOCK_AT, JOURNEY.toEpochMilli(), FlowHeaders.COMMITTED_AT, wall.millis());
        wall.advance(Duration.ofMinutes(3));

        assertThat(RunClock.now(headers, wall)).isEqualTo(JOURNEY.plus(Duration.ofMinutes(3)));
    }

    @Test
    void aMessageWithoutItsWritesClockIsOnTheWallClock() {
        assertThat(RunClock.now(Map.of(FlowHeaders.COMMITTED_AT, wall.millis()), wall))
                .isEqualTo(wall.instant());
        assertThat(RunClock.now(Map.of(), wall)).isEqualTo(wall.instant());
    }

    @Test
    void headersReadBackAsTextStillTellTheTime() {
        Map<String, Object> headers = Map.of(
                FlowHeaders.RUN_CLOCK_AT,
                String.valueOf(JOURNEY.toEpochMilli()),
                FlowHeaders.COMMITTED_AT,
                String.valueOf(wall.millis()));

        assertThat(RunClock.now(headers, wall)).isEqualTo(JOURNEY);
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
