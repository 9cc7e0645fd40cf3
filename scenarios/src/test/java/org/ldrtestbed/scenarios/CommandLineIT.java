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
        int code = againstServer(
                "run", "src/test/resources/engine-fixtures/sees.journey.yaml", testbed.fhirBase(), reports);

        assertThat(code).isEqualTo(TestbedCommand.PASSED);
        try (Stream<Path> files = Files.walk(reports)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("report.html", "report.json", "junit.xml");
        }
    }

    @Test
    void ablateAgreesWhenTheTagsTellTheTruth(EmbeddedTestbed testbed, @TempDir Path reports) throws Exception {
        int code = againstServer(
                "ablate", "src/test/resources/engine-fixtures/write.journey.yaml", testbed.fhirBase(), reports);

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
        int code = againstServer(
                "ablate", "src/test/resources/engine-fixtures/mistagged.journey.yaml", testbed.fhirBase(), reports);

        assertThat(code).isEqualTo(TestbedCommand.ASSERTIONS_FAILED);
        JsonNode ablation = ablationJson(reports);
        assertThat(ablation.path("switches")).isNotEmpty().allSatisfy(s -> {
            assertThat(s.path("agrees").asBoolean()).isFalse();
            assertThat(s.path("taggedButPassed").toString()).contains("mistagged-sees-pulse");
        });
    }

    /** The command on one journey against a running server, its reports in that folder. */
    private static int againstServer(String command, String journey, String server, Path reports) {
        return new CommandLine(new TestbedCommand())
                .execute(command, journey, "--server", server, "--report-dir", reports.toString());
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
        int code = againstServer(
                "run", "src/test/resources/engine-fixtures/sees.journey.yaml", "http://127.0.0.1:9/fhir", reports);

        assertThat(code).isEqualTo(TestbedCommand.UNREACHABLE);
    }

    /** A journey whose GP only the realm file {@link #realmWithAnExtraGp} writes has. */
    private static final String REALM_FILE_JOURNEY = "src/test/resources/people/realm-file.journey.yaml";

    @Test
    void realmFileWithoutServerBootsTheEmbeddedTestbedWithThatRealm(@TempDir Path dir) throws Exception {
        Path realm = realmWithAnExtraGp(dir);

        int code = new CommandLine(new TestbedCommand())
                .execute(
                        "run",
                        REALM_FILE_JOURNEY,
                        "--realm-file",
                        realm.toString(),
                        "--report-dir",
                        dir.resolve("reports").toString());

        assertThat(code).isEqualTo(TestbedCommand.PASSED);
    }

    @Test
    void theSameJourneyFailsWhereTheRealmLacksItsGp(EmbeddedTestbed testbed, @TempDir Path reports) {
        assertThat(testbed.realm().user("gp.realm-file-only")).isEmpty();

        CommandOutcome refusal = CommandOutcome.execute(
                "run", REALM_FILE_JOURNEY, "--server", testbed.fhirBase(), "--report-dir", reports.toString());

        // Refused by the check, before a step writes anything.
        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err())
                .contains(
                        REALM_FILE_JOURNEY + ":12:45: steps[0].actor.user: no user 'gp.realm-file-only' in the realm");
    }

    /** The testbed's own realm, and one more GP at SYNG09 that it lacks. */
    private static Path realmWithAnExtraGp(Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode realm;
        try (var in = CommandLineIT.class.getResourceAsStream("/identity/ldr-testbed-realm.json")) {
            realm = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(in);
        }
        ((com.fasterxml.jackson.databind.node.ArrayNode) realm.get("users")).add(json.readTree("""
                        {"username": "gp.realm-file-only", "enabled": true, "lastName": "Realm-File (synthetic)",
                         "credentials": [{"type": "password", "value": "synthetic-password", "temporary": false}],
                         "realmRoles": ["gp"],
                         "attributes": {"organisation": ["SYNG09"], "practitioner": ["900000000101"],
                                        "nrbac_role": ["R8000"]}}
                        """));
        Path file = dir.resolve("realm-with-extra-gp.json");
        json.writeValue(file.toFile(), realm);
        return file;
    }
}
