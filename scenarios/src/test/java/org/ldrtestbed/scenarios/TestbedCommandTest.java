package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestbedCommandTest {

    @Test
    void malformedJourneyFileIsRefusedNamingFileLineAndFieldBeforeAnythingStarts() {
        String file = Path.of("src/test/resources/malformed/misspelt-field.journey.yaml")
                .toString();
        CommandOutcome refusal = CommandOutcome.execute("run", file);

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains(file + ":10:5: steps[0].actr:").contains(file + ":7:5: steps[0].actor:");
    }

    @Test
    void unknownJourneyIdListsTheKnownOnes() {
        CommandOutcome refusal = CommandOutcome.execute("run", "no-such-journey");

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains("No journey 'no-such-journey'");
    }

    @Test
    void runNamesOneJourneyOrAsksForAllNeverBoth() {
        assertThat(CommandOutcome.execute("run").code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(CommandOutcome.execute("run", "dot", "--all").code()).isEqualTo(TestbedCommand.BAD_INPUT);
    }

    @Test
    void aJourneyPersonClashingWithTheRealmIsOneLineExit2BeforeAnythingBoots() {
        String file = Path.of("src/test/resources/people/clash.journey.yaml").toString();
        CommandOutcome refusal = CommandOutcome.execute("run", file);

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err().lines())
                .containsExactly(file + ":8:1: people: user gp.ashdown is already a user of realm 'ldr-testbed': a"
                        + " journey person needs a user name of their own");
    }

    @Test
    void journeyPeopleWithAnExternalIssuerAreRefusedInOneLineBeforeBooting() {
        String file = Path.of("src/test/resources/engine-fixtures/people.journey.yaml")
                .toString();
        CommandOutcome refusal =
                CommandOutcome.execute("run", file, "--issuer", "http://keycloak.invalid/realms/ldr-testbed");

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
        CommandOutcome refusal = CommandOutcome.execute(
                "run", "src/test/resources/engine-fixtures/sees.journey.yaml", "--realm-file", "no-such-realm.json");

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err().lines())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("no-such-realm.json: not a readable realm file");
    }
}
