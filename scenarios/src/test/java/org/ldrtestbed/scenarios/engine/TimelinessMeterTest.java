package org.ldrtestbed.scenarios.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.report.JourneyResult.Timeliness;

class TimelinessMeterTest {

    private static final Instant STEP = Instant.parse("2026-03-02T07:00:00Z");

    private final TimelinessMeter meter = new TimelinessMeter(
            new MessageLogClient(URI.create("http://127.0.0.1:1/"), () -> "unused"),
            FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION));

    /**
     * One gp-record-sharing message, received 1 s into the step's write, delivered 3 s in, as the server logs a run's
     * messages: on the run's (the journey's) clock; no moment in the record.
     */
    private static JsonNode log(String timelinessFrom) throws Exception {
        String from = timelinessFrom == null ? "" : ", \"timelinessFrom\": \"" + timelinessFrom + "\"";
        return new ObjectMapper()
                .readTree("[{\"messageId\": \"m1\", \"stage\": \"RECEIVED\", \"flowCode\": \"gp-record-sharing\","
                        + " \"at\": \"2026-03-02T07:00:01Z\"" + from + "},"
                        + " {\"messageId\": \"m1\", \"stage\": \"DELIVERED\", \"flowCode\": \"gp-record-sharing\","
                        + " \"at\": \"2026-03-02T07:00:03Z\"}]");
    }

    @Test
    void withoutRecordedAtTheStepsTimeIsTheStart() throws Exception {
        List<Timeliness> measured = meter.measure(log(null), List.of(new TimelinessMeter.StepWindow("gp", STEP, STEP)));

        assertThat(measured).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(STEP);
            assertThat(t.elapsed()).isEqualTo(Duration.ofSeconds(3));
            assertThat(t.verdict()).isEqualTo("MET");
        });
    }

    @Test
    void recordedAtIsWhatTheFlowCountsFromWhenItNamesNoMoment() throws Exception {
        Instant recorded = STEP.minus(Duration.ofHours(12));

        List<Timeliness> measured =
                meter.measure(log(null), List.of(new TimelinessMeter.StepWindow("gp", STEP, recorded)));

        assertThat(measured).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(recorded);
            // Delivered on the step's clock (the write is filed at the step), 12 h after it was recorded.
            assertThat(t.delivered()).isEqualTo(STEP.plusSeconds(3));
            assertThat(t.elapsed()).isEqualTo(Duration.ofHours(12).plusSeconds(3));
            assertThat(t.verdict()).isEqualTo("LATE");
        });
    }

    @Test
    void theRecordsOwnMomentStillWinsOverRecordedAt() throws Exception {
        List<Timeliness> measured = meter.measure(
                log("2026-03-02T06:58:00Z"),
                List.of(new TimelinessMeter.StepWindow("gp", STEP, STEP.minus(Duration.ofHours(12)))));

        assertThat(measured)
                .singleElement()
                .satisfies(t -> assertThat(t.from()).isEqualTo(Instant.parse("2026-03-02T06:58:00Z")));
    }

    @Test
    void aMessageBelongsToTheStepThatBeganLastBeforeItOnTheJourneysClockNotToTheOneRunLast() throws Exception {
        // A background step replayed after the gp's step, set 800 days earlier, must not take the gp's message.
        List<Timeliness> measured = meter.measure(
                log(null),
                List.of(
                        new TimelinessMeter.StepWindow("gp", STEP, STEP),
                        new TimelinessMeter.StepWindow(
                                "registration", STEP.minus(Duration.ofDays(800)), STEP.minus(Duration.ofDays(800)))));

        assertThat(measured)
                .singleElement()
                .satisfies(t -> assertThat(t.stepId()).isEqualTo("gp"));
    }

    @Test
    void aMessageReceivedBeforeEveryWindowIsNoneOfTheRunsSteps() throws Exception {
        List<Timeliness> measured =
                meter.measure(log(null), List.of(new TimelinessMeter.StepWindow("later", STEP.plusSeconds(60), STEP)));

        assertThat(measured).isEmpty();
    }
}
