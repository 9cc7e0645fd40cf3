package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TestbedCommandTest {

    @Test
    void malformedJourneyFileIsRefusedNamingFileLineAndFieldBeforeAnythingStarts() {
        String file = Path.of("src/test/resources/malformed/misspelt-field.journey.yaml")
                .toString();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new TestbedCommand()).execute("run", file);
        } finally {
            System.setErr(original);
        }

        assertThat(code).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(file + ":10:5: steps[0].actr:")
                .contains(file + ":7:5: steps[0].actor:");
    }

    @Test
    void unknownJourneyIdListsTheKnownOnes() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new TestbedCommand()).execute("run", "no-such-journey");
        } finally {
            System.setErr(original);
        }

        assertThat(code).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No journey 'no-such-journey'");
    }

    @Test
    void runNamesOneJourneyOrAsksForAllNeverBoth() {
        PrintStream original = System.err;
        try {
            System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertThat(new CommandLine(new TestbedCommand()).execute("run")).isEqualTo(TestbedCommand.BAD_INPUT);
            assertThat(new CommandLine(new TestbedCommand()).execute("run", "dot", "--all"))
                    .isEqualTo(TestbedCommand.BAD_INPUT);
        } finally {
            System.setErr(original);
        }
    }
}
