package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

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
