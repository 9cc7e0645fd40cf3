package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code testbed serve}'s options become the server's properties; a bad one is refused before anything starts. */
class ServeOptionsTest {

    @Test
    void issuerMakesTheServerTrustThatIdentityProvider() {
        Map<String, Object> properties = serve("--issuer", "http://127.0.0.1:8180/realms/ldr-testbed");

        assertThat(properties)
                .containsEntry("testbed.identity.mode", "keycloak")
                .containsEntry("testbed.identity.issuer-uri", "http://127.0.0.1:8180/realms/ldr-testbed")
                .doesNotContainKey("spring.profiles.active");
    }

    @Test
    void postgresSwitchesTheStoreToThatDatabase() {
        Map<String, Object> properties = serve("--postgres", "jdbc:postgresql://127.0.0.1:5432/ldr_testbed");

        assertThat(properties)
                .containsEntry("spring.profiles.active", "postgres")
                .containsEntry("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/ldr_testbed")
                .doesNotContainKey("testbed.identity.mode");
    }

    @Test
    void byDefaultTheEmbeddedIdentityProviderAndH2() {
        assertThat(serve())
                .containsEntry("server.port", 8080)
                .doesNotContainKeys("testbed.identity.mode", "spring.profiles.active", "spring.datasource.url");
    }

    @Test
    void aPostgresUrlThatIsNotOneIsRefused() {
        CommandOutcome refusal = CommandOutcome.execute("serve", "--postgres", "jdbc:h2:mem:x");

        assertThat(refusal.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(refusal.err()).contains("--postgres needs a PostgreSQL JDBC URL");
    }

    @Test
    void aRealmFileAndValidationModesBecomeTheServersOwn() {
        Map<String, Object> properties = serve(
                "--realm-file", "my-realm.json", "--validation", "warn", "--validate", "acute-integration=reject");

        assertThat(properties)
                .containsEntry(
                        "testbed.identity.realm-file",
                        "file:" + java.nio.file.Path.of("my-realm.json").toAbsolutePath())
                .containsEntry("testbed.fhir-server.validation.default", "warn")
                .containsEntry("testbed.fhir-server.validation.sources.acute-integration", "reject");
        assertThat(serve()).containsEntry("testbed.fhir-server.validation.default", "off");
    }

    @Test
    void aValidationModeThatIsNotOneOrARealmFileThatIsNotOneIsRefusedBeforeAnythingStarts(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        CommandOutcome mode = CommandOutcome.execute("serve", "--validate", "acute-integration=strict");
        assertThat(mode.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(mode.err()).contains("off, warn or reject, not strict");

        java.nio.file.Path broken = java.nio.file.Files.writeString(dir.resolve("realm.json"), "{not json");
        CommandOutcome realm = CommandOutcome.execute("serve", "--realm-file", broken.toString());
        assertThat(realm.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(realm.err()).contains("realm.json:1:1: (realm): not a readable realm file");
    }

    private static Map<String, Object> serve(String... args) {
        TestbedCommand.Serve serve = new TestbedCommand.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.properties();
    }
}
