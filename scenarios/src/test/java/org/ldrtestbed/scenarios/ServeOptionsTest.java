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

    private static Map<String, Object> serve(String... args) {
        TestbedCommand.Serve serve = new TestbedCommand.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.properties();
    }
}
