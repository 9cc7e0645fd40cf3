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

    @Test
    void aJourneyPersonClashingWithTheRealmIsOneLineExit2BeforeAnythingBoots() {
        String file = Path.of("src/test/resources/people/clash.journey.yaml").toString();
        Refusal refusal = run("run", file);

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err().lines())
                .containsExactly(file + ":8:1: people: user gp.ashdown is already a user of realm 'ldr-testbed': a"
                        + " journey person needs a user name of their own");
    }

    @Test
    void journeyPeopleWithAnExternalIssuerAreRefusedInOneLineBeforeBooting() {
        String file = Path.of("src/test/resources/engine-fixtures/people.journey.yaml")
                .toString();
        Refusal refusal = run("run", file, "--issuer", "http://keycloak.invalid/realms/ldr-testbed");

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err().lines())
                .hasSize(1)
                .first()
                .asString()
                .startsWith(file + ":8: people:")
                .contains("--issuer http://keycloak.invalid/realms/ldr-testbed is an external identity provider");
    }

    @Test
    void anUnreadableRealmFileIsOneLineExit2() {
        Refusal refusal = run(
                "run", "src/test/resources/engine-fixtures/sees.journey.yaml", "--realm-file", "no-such-realm.json");

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err().lines())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("no-such-realm.json: not a readable realm file");
    }

    private record Refusal(int code, String err) {}

    private static Refusal run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new TestbedCommand()).execute(args);
            return new Refusal(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }
}
