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

    private static final Instant WALL = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant STEP = Instant.parse("2026-03-02T07:00:00Z");

    private final TimelinessMeter meter = new TimelinessMeter(
            new MessageLogClient(URI.create("http://127.0.0.1:1/"), () -> "unused"),
            FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION));

    /** One gp-record-sharing message, received 1 s into the step's write, delivered 3 s in; no moment in the record. */
    private static JsonNode log(String timelinessFrom) throws Exception {
        String from = timelinessFrom == null ? "" : ", \"timelinessFrom\": \"" + timelinessFrom + "\"";
        return new ObjectMapper()
                .readTree("[{\"messageId\": \"m1\", \"stage\": \"RECEIVED\", \"flowCode\": \"gp-record-sharing\","
                        + " \"at\": \"2026-12-04T10:00:01Z\"" + from + "},"
                        + " {\"messageId\": \"m1\", \"stage\": \"DELIVERED\", \"flowCode\": \"gp-record-sharing\","
                        + " \"at\": \"2026-12-04T10:00:03Z\"}]");
    }

    @Test
    void withoutRecordedAtTheStepsTimeIsTheStart() throws Exception {
        List<Timeliness> measured = meter.measure(log(null), List.of(new TimelinessMeter.StepWindow("gp", WALL, STEP)));

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
                meter.measure(log(null), List.of(new TimelinessMeter.StepWindow("gp", WALL, STEP, recorded)));

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
                List.of(new TimelinessMeter.StepWindow("gp", WALL, STEP, STEP.minus(Duration.ofHours(12)))));

        assertThat(measured)
                .singleElement()
                .satisfies(t -> assertThat(t.from()).isEqualTo(Instant.parse("2026-03-02T06:58:00Z")));
    }
}
