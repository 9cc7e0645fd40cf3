package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.RealKeycloak;
import org.ldrtestbed.identity.access.AccessDecision.Reason;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The access matrix ({@link AccessMatrix}) against the running server, once with the embedded token issuer and once
 * with a real Keycloak: each server must answer every read and search as the policy file decides, and both must
 * answer alike. Each identity mode boots its own server on a fresh database, once for the whole class.
 */
class AccessMatrixIT {

    enum IdentityMode {
        EMBEDDED,
        KEYCLOAK
    }

    private static final Map<IdentityMode, DecisionTable> TABLES = new EnumMap<>(IdentityMode.class);

    @Test
    void theServerDecidesAsThePolicyWithEmbeddedTokens() throws Exception {
        DecisionTable table = table(IdentityMode.EMBEDDED);

        assertAgreesWithThePolicy(IdentityMode.EMBEDDED, table);
    }

    @Test
    void theServerDecidesAsThePolicyWithKeycloakTokens() throws Exception {
        DecisionTable table = table(IdentityMode.KEYCLOAK);

        assertAgreesWithThePolicy(IdentityMode.KEYCLOAK, table);
    }

    @Test
    void keycloakAndEmbeddedTokensGetTheSameAnswers() throws Exception {
        Map<String, String> embedded = table(IdentityMode.EMBEDDED).answers();
        Map<String, String> keycloak = table(IdentityMode.KEYCLOAK).answers();

        List<String> differences = new ArrayList<>();
        Set<String> keys = new TreeSet<>(embedded.keySet());
        keys.addAll(keycloak.keySet());
        for (String key : keys) {
            if (!String.valueOf(embedded.get(key)).equals(String.valueOf(keycloak.get(key)))) {
                differences.add(key + ": embedded " + embedded.get(key) + ", Keycloak " + keycloak.get(key));
            }
        }
        assertThat(differences)
                .as("answers that differ between the identity providers")
                .isEmpty();
    }

    /**
     * The matrix can fail: its expectations withhold entries for every reason the policy gives (held entries
     * aside, which the matrix's writers avoid) and allow some through break-glass overrides.
     */
    private static void assertAgreesWithThePolicy(IdentityMode mode, DecisionTable table) {
        System.out.printf("Access matrix (%s): %s%n", mode, table.summary());
        Set<String> expectedReasons = new TreeSet<>();
        table.cells().stream()
                .filter(c -> c.check().equals("read") && c.expected().startsWith("403 "))
                .forEach(c -> expectedReasons.add(c.expected().substring(4)));
        table.cells().stream()
                .filter(c -> c.check().equals("search") && c.expected().startsWith("withheld: "))
                .forEach(c -> expectedReasons.add(c.expected().substring("withheld: ".length())));
        // Every reason a read can be refused for; the write and operation reasons are AttackMatrixIT's.
        Set<String> policyReasons = new TreeSet<>();
        for (Reason reason : List.of(
                Reason.OTHER_PATIENT,
                Reason.NOT_GRANTED,
                Reason.SENSITIVE,
                Reason.ROLE,
                Reason.NO_RELATIONSHIP,
                Reason.DISSENT)) {
            policyReasons.add(reason.code());
        }
        assertThat(expectedReasons).as("reasons the matrix expects").isEqualTo(policyReasons);

        List<DecisionTable.Cell> disagreements = table.disagreements();
        assertThat(disagreements)
                .as(
                        "%s: %d of %d checks disagree with the access policy:%n%s",
                        mode, disagreements.size(), table.cells().size(), DecisionTable.render(disagreements))
                .isEmpty();
    }

    private static synchronized DecisionTable table(IdentityMode mode) throws Exception {
        DecisionTable table = TABLES.get(mode);
        if (table == null) {
            table = run(mode);
            TABLES.put(mode, table);
        }
        return table;
    }

    private static DecisionTable run(IdentityMode mode) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0"));
        URI keycloakIssuer = null;
        if (mode == IdentityMode.KEYCLOAK) {
            keycloakIssuer = RealKeycloak.get().issuer();
            arguments.add("--testbed.identity.mode=keycloak");
            arguments.add("--testbed.identity.issuer-uri=" + keycloakIssuer);
        }
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(FhirServerApplication.class)
                .initializers(new PostgresTestbedInitializer())
                .run(arguments.toArray(String[]::new))) {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            URI issuer = keycloakIssuer != null
                    ? keycloakIssuer
                    : URI.create("http://localhost:" + port + "/realms/ldr-testbed");
            CareSystemDirectory directory = server.getBean(CareSystemDirectory.class);
            AccessMatrix matrix = new AccessMatrix(
                    URI.create("http://localhost:" + port + "/fhir"),
                    new TokenClient(issuer),
                    RealmFiles.load("classpath:" + RealKeycloak.REALM_RESOURCE),
                    directory::settingOf,
                    server.getBean(FlowCatalogue.class));
            return matrix.run();
        }
    }
}
