package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.report.CapabilityMatrix;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.ReportWriter;
import org.ldrtestbed.scenarios.report.SampleResults;

class AllJourneysTest {

    @TempDir
    Path reports;

    @Test
    void everyJourneyIsReportedAndTheMatrixWrittenInAFolderOfItsOwn() throws Exception {
        List<Journey> journeys = new JourneyCatalogue().all();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        // Each "replay" answers the sample result under the journey's own id, failing one assertion.
        int code = new AllJourneys(reports, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .replay(journeys, j -> resultFor(j));

        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(TestbedCommand.ASSERTIONS_FAILED);
        Matcher matrix = Pattern.compile("Matrix: (\\S+matrix\\.html)").matcher(out);
        assertThat(matrix.find()).as(out).isTrue();
        Path folder = Path.of(matrix.group(1)).getParent();
        assertThat(folder.getParent()).isEqualTo(reports.toAbsolutePath());
        JsonNode json = new ObjectMapper()
                .readTree(folder.resolve(CapabilityMatrix.JSON).toFile());
        assertThat(json.path("format-version").asInt()).isEqualTo(ReportWriter.FORMAT_VERSION);
        assertThat(java.time.Instant.parse(json.path("created").asText())).isNotNull();
        assertThat(json.path("journeys")).hasSize(journeys.size());
        assertThat(json.path("capabilities").get(0).path("journeys")).hasSize(journeys.size());
        for (JsonNode column : json.path("journeys")) {
            assertThat(folder.resolve(column.path("report").asText())).exists();
        }
        assertThat(Files.readString(folder.resolve(CapabilityMatrix.HTML)))
                .contains(journeys.getFirst().id());
        assertThat(out).contains("a journey FAILED");
    }

    @Test
    void aJourneyThatCannotBeReplayedStopsTheRunAsUnreachable() throws Exception {
        int code = new AllJourneys(reports, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .replay(new JourneyCatalogue().all(), j -> {
                    throw new IllegalStateException("connection refused");
                });

        assertThat(code).isEqualTo(TestbedCommand.UNREACHABLE);
    }

    private static JourneyResult resultFor(Journey journey) {
        JourneyResult sample = SampleResults.dot();
        return new JourneyResult(
                        journey.id(),
                        journey.title(),
                        sample.file(),
                        journey.id() + "-run",
                        sample.server(),
                        sample.started(),
                        sample.elapsed(),
                        sample.nhsNumber(),
                        sample.disabledFlows(),
                        sample.notes(),
                        sample.steps(),
                        sample.timeliness())
                .withNotCovered(journey.notCovered());
    }
}
