package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import picocli.CommandLine;

/** The command line against an already-running server given by URL, as a supplier would run it. */
@ExtendWith(SharedTestbed.class)
class CommandLineIT {

    @Test
    void runsAJourneyAgainstAServerByUrlAndWritesTheThreeReports(EmbeddedTestbed testbed, @TempDir Path reports)
            throws Exception {
        int code = new CommandLine(new TestbedCommand())
                .execute(
                        "run",
                        "src/test/resources/engine-fixtures/sees.journey.yaml",
                        "--server",
                        testbed.fhirBase(),
                        "--report-dir",
                        reports.toString());

        assertThat(code).isEqualTo(TestbedCommand.PASSED);
        try (Stream<Path> files = Files.walk(reports)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("report.html", "report.json", "junit.xml");
        }
    }

    @Test
    void ablateAgreesWhenTheTagsTellTheTruth(EmbeddedTestbed testbed, @TempDir Path reports) throws Exception {
        int code = new CommandLine(new TestbedCommand())
                .execute(
                        "ablate",
                        "src/test/resources/engine-fixtures/write.journey.yaml",
                        "--server",
                        testbed.fhirBase(),
                        "--report-dir",
                        reports.toString());

        assertThat(code).isEqualTo(TestbedCommand.PASSED);
        JsonNode ablation = ablationJson(reports);
        assertThat(ablation.path("switches"))
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.path("agrees").asBoolean())
                        .as(s.toString())
                        .isTrue());
    }

    @Test
    void ablateReportsATagThatDidNotFail(EmbeddedTestbed testbed, @TempDir Path reports) throws Exception {
        int code = new CommandLine(new TestbedCommand())
                .execute(
                        "ablate",
                        "src/test/resources/engine-fixtures/mistagged.journey.yaml",
                        "--server",
                        testbed.fhirBase(),
                        "--report-dir",
                        reports.toString());

        assertThat(code).isEqualTo(TestbedCommand.ASSERTIONS_FAILED);
        JsonNode ablation = ablationJson(reports);
        assertThat(ablation.path("switches")).isNotEmpty().allSatisfy(s -> {
            assertThat(s.path("agrees").asBoolean()).isFalse();
            assertThat(s.path("taggedButPassed").toString()).contains("mistagged-sees-pulse");
        });
    }

    private static JsonNode ablationJson(Path reports) throws Exception {
        try (Stream<Path> files = Files.walk(reports)) {
            Path json = files.filter(p -> p.getFileName().toString().equals("ablation.json"))
                    .findFirst()
                    .orElseThrow();
            return new ObjectMapper().readTree(json.toFile());
        }
    }

    @Test
    void anUnreachableServerIsReportedAsSuch(@TempDir Path reports) {
        int code = new CommandLine(new TestbedCommand())
                .execute(
                        "run",
                        "src/test/resources/engine-fixtures/sees.journey.yaml",
                        "--server",
                        "http://127.0.0.1:9/fhir",
                        "--report-dir",
                        reports.toString());

        assertThat(code).isEqualTo(TestbedCommand.UNREACHABLE);
    }
}
