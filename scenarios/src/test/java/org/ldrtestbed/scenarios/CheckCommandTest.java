package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code testbed check}, and the same check {@code run} makes before it boots. */
class CheckCommandTest {

    private static final String BAD = "src/test/resources/malformed/mistakes.journey.yaml";

    @Test
    void checkPrintsEachMistakeWithFileLineAndColumnAndExitsTwo() {
        CommandOutcome outcome = CommandOutcome.execute("check", BAD);

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.out())
                .contains(BAD + ":25:52: steps[0].does[0].write.resources[1].resource.note[0].text: unquoted text cut"
                        + " at a comma")
                .contains(BAD + ":29:13: steps[1].actor.role: no role 'ed-consultnt' in the realm; did you mean"
                        + " 'ed-consultant'?")
                .contains(BAD + ":34:17: steps[1].sees[0].flows[0]: no flow 'e-referal' in the flow catalogue; did you"
                        + " mean 'e-referral'?")
                .contains(BAD + ":35:52: steps[1].sees[0].query: 'categry' is not a search parameter of ServiceRequest;"
                        + " did you mean 'category'?")
                .contains(BAD + ":36:16: steps[1].sees[0].where: not valid FHIRPath: ")
                .doesNotContain(BAD + ":34:9: steps[1].sees[0].flows: no flow")
                .doesNotContain("ok:");
    }

    @Test
    void checkOfShippedJourneysByIdPasses() {
        CommandOutcome outcome = CommandOutcome.execute("check", "dot", "ivy-not-flagged");

        assertThat(outcome.code()).as(outcome.out()).isEqualTo(TestbedCommand.PASSED);
        assertThat(outcome.out()).containsPattern("ok: 2 journeys checked in [0-9.]+ s");
    }

    @Test
    void checkOfAFolderChecksEveryJourneyInIt() {
        CommandOutcome outcome = CommandOutcome.execute("check", "src/test/resources/engine-fixtures");

        assertThat(outcome.code()).as(outcome.out()).isEqualTo(TestbedCommand.PASSED);
        assertThat(outcome.out()).containsPattern("ok: ([4-9]|[1-9][0-9]) journeys checked in [0-9.]+ s");
    }

    @Test
    void checkOfNoSuchJourneyIsBadInput() {
        CommandOutcome outcome = CommandOutcome.execute("check", "no-such-journey");

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.out()).contains("no-such-journey:1:1: (file): no such file, nor a shipped journey");
    }

    @Test
    void checkResolvesActorsAgainstTheRealmFileItIsGiven(@TempDir Path dir) throws Exception {
        Path journey = dir.resolve("acute-gp.journey.yaml");
        Files.writeString(
                journey,
                String.join(
                        "\n",
                        "journey: acute-gp",
                        "format: 1",
                        "title: A GP at the acute trust, known only to another realm",
                        "start: \"2026-03-02T09:00:00Z\"",
                        "subject: {label: patient, nhs-number: \"9990000018\"}",
                        "steps:",
                        "  - id: registers",
                        "    title: Registers the patient",
                        "    at: PT0M",
                        "    actor: {role: gp, organisation: SYNAC}",
                        "    does:",
                        "      - write:",
                        "          resources:",
                        "            - label: patient",
                        "              resource: {resourceType: Patient, gender: female}",
                        ""));
        Path realm = dir.resolve("other-realm.json");
        Files.writeString(realm, """
                {"realm": "other", "roles": {"realm": [{"name": "gp"}]},
                 "users": [{"username": "gp.other", "realmRoles": ["gp"], "attributes": {"organisation": ["SYNAC"]}}]}
                """);

        CommandOutcome shipped = CommandOutcome.execute("check", journey.toString());
        CommandOutcome other = CommandOutcome.execute("check", journey.toString(), "--realm-file", realm.toString());

        assertThat(shipped.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(shipped.out()).contains(journey + ":10:5: steps[0].actor: no user is gp @ SYNAC");
        assertThat(other.code()).as(other.out()).isEqualTo(TestbedCommand.PASSED);
    }

    @Test
    void runRefusesTheSameMistakesBeforeBooting() {
        CommandOutcome outcome = CommandOutcome.execute("run", BAD);

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.err())
                .contains(BAD + ":29:13: steps[1].actor.role: no role 'ed-consultnt'")
                .contains(BAD + ":34:17: steps[1].sees[0].flows[0]: no flow 'e-referal'");
        assertThat(outcome.out()).doesNotContain("Booting");
    }

    @Test
    void ablateRefusesThemBeforeBootingToo() {
        CommandOutcome outcome = CommandOutcome.execute("ablate", BAD);

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.err()).contains(BAD + ":34:17: steps[1].sees[0].flows[0]: no flow 'e-referal'");
        assertThat(outcome.out()).doesNotContain("Booting");
    }
}
