package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.RealKeycloak;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The adversarial access matrix ({@link AttackMatrix}) against a server on a fresh database, with the embedded token
 * issuer ({@link AccessMatrixIT} already compares Keycloak and embedded tokens): no response leaks what the policy
 * withholds, no write outside the policy gets through, and every answer is the spec's.
 */
class AttackMatrixIT {

    private static final int SHOWN = 60;

    @Test
    void noLeakAndNoWriteOutsidePolicyForAnyActorInteractionOrRecordState() throws Exception {
        AttackMatrix.Result result = run();

        System.out.println("Attack matrix: " + result.summary());
        System.out.println("Attack matrix interactions: " + result.interactions());
        assertThat(result.interactions())
                .as("the matrix asks every interaction it says it does")
                .contains(
                        "read",
                        "vread",
                        "$meta (instance)",
                        "$meta (type)",
                        "$meta (system)",
                        "_history (instance)",
                        "_history (type)",
                        "_history (system)",
                        "$everything",
                        "$gpc.getstructuredrecord",
                        "search _include/_revinclude",
                        "search chain subject:Patient",
                        "search _has",
                        "paging next",
                        "create",
                        "conditional create",
                        "PUT-as-create",
                        "update",
                        "conditional update",
                        "patch",
                        "update moving record",
                        "$meta-add",
                        "$meta-delete",
                        "delete",
                        "conditional delete",
                        "$expunge",
                        "batch",
                        "transaction");
        assertThat(result.of(AttackMatrix.LEAK))
                .as("leaks (%d):%n%s", result.of(AttackMatrix.LEAK).size(), render(result.of(AttackMatrix.LEAK)))
                .isEmpty();
        assertThat(result.of(AttackMatrix.WRITE))
                .as(
                        "writes outside the policy (%d):%n%s",
                        result.of(AttackMatrix.WRITE).size(), render(result.of(AttackMatrix.WRITE)))
                .isEmpty();
        assertThat(result.of(AttackMatrix.WRONG))
                .as(
                        "answers other than the spec's (%d):%n%s",
                        result.of(AttackMatrix.WRONG).size(), render(result.of(AttackMatrix.WRONG)))
                .isEmpty();
    }

    private static String render(List<AttackMatrix.Finding> findings) {
        String shown = findings.stream().limit(SHOWN).map(Object::toString).collect(Collectors.joining("\n"));
        return findings.size() > SHOWN ? shown + "\n... and " + (findings.size() - SHOWN) + " more" : shown;
    }

    private static AttackMatrix.Result run() throws Exception {
        try (ConfigurableApplicationContext server = new SpringApplicationBuilder(FhirServerApplication.class)
                .initializers(new PostgresTestbedInitializer())
                .run("--server.port=0")) {
            int port = ((WebServerApplicationContext) server).getWebServer().getPort();
            AttackMatrix matrix = new AttackMatrix(
                    URI.create("http://localhost:" + port + "/fhir"),
                    new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed")),
                    RealmFiles.load("classpath:" + RealKeycloak.REALM_RESOURCE),
                    server.getBean(CareSystemDirectory.class)::settingOf,
                    server.getBean(FlowCatalogue.class));
            AttackMatrix.Result result = matrix.run();
            // Everything, on stdout too: the lead checks the fix against this list.
            result.findings().forEach(f -> System.out.println("ATTACK " + f));
            return result;
        }
    }
}
