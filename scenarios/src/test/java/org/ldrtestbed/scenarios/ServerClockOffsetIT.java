package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyLoader;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * Timeliness stands on the journey's clock alone: against a server whose wall clock is hours off, a journey's
 * discharge summaries are MET and LATE exactly as against one whose clock is right. Either offset would have
 * changed a verdict when the meter mixed the client's clock with the server's (7 h slow: the late summary within
 * its 24 h; 5 h fast: the timely one late).
 */
@ExtendWith(SharedTestbed.class)
class ServerClockOffsetIT {

    private static final Map<String, String> EXPECTED =
            Map.of("acute-sends-summary", "MET", "acute-sends-late-summary", "LATE");

    @ParameterizedTest
    @ValueSource(strings = {"-PT7H", "PT5H"})
    void verdictsAreTheSameWhenTheServersWallClockIsHoursOff(String offset, EmbeddedTestbed onTime) throws Exception {
        Journey journey =
                new JourneyLoader().load(Path.of("src/test/resources/engine-fixtures/timeliness.journey.yaml"));

        assertThat(verdicts(JourneyITSupport.replay(onTime, journey))).isEqualTo(EXPECTED);

        Map<String, Object> properties = new HashMap<>(Map.of("testbed.clock-offset", offset));
        try (TestDatabase database = TestDatabase.create()) {
            properties.putAll(database.springProperties());
            try (EmbeddedTestbed offClock =
                    EmbeddedTestbed.start(Files.createTempDirectory("ldr-testbed-clock-"), Set.of(), properties)) {
                JourneyResult result = JourneyITSupport.replay(offClock, journey);

                assertThat(result.assertions())
                        .allSatisfy(a -> assertThat(a.verdict())
                                .as(a.id() + ": " + a.detail())
                                .isEqualTo(Verdict.PASS));
                assertThat(verdicts(result)).as("server clock " + offset).isEqualTo(EXPECTED);
            }
        }
    }

    /** The discharge summaries' timeliness verdicts, by the step that sent them. */
    private static Map<String, String> verdicts(JourneyResult result) {
        Map<String, String> verdicts = new TreeMap<>();
        result.timeliness().stream()
                .filter(t -> t.flow().equals("discharge-summary"))
                .forEach(t -> verdicts.put(t.stepId(), t.verdict()));
        return verdicts;
    }
}
