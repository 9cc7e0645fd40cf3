package org.ldrtestbed.scenarios.conformance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.engine.TestbedConnection;

/**
 * A systems file's reference GP system bound over {@code mesh} is started polling its organisation's mailbox at the
 * testbed (a WireMock here) with the realm's GP system client, and is reached there and at its FHIR base.
 */
class ReferenceSystemsTest {

    private final WireMockServer testbed = new WireMockServer(options().dynamicPort());

    @BeforeEach
    void start() {
        testbed.start();
        testbed.stubFor(
                post(urlPathEqualTo("/realms/ldr-testbed/protocol/openid-connect/token"))
                        .willReturn(
                                aResponse()
                                        .withHeader("Content-Type", "application/json")
                                        .withBody(
                                                "{\"access_token\":\"gp-system-token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        testbed.stubFor(get(urlPathEqualTo("/mesh/messageexchange/SYNG09-MBX/inbox"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"messages\":[]}")));
    }

    @AfterEach
    void stop() {
        testbed.stop();
    }

    @Test
    void aGpSystemBoundOverMeshPollsItsOrganisationsMailboxWithTheGpSystemClient() {
        SystemsFile file = new SystemsLoader().load("mesh.systems.yaml", """
                systems-file: mesh
                format: 1
                title: The reference GP system over MESH
                systems:
                  - name: reference-gp
                    organisation: SYNG09
                    receives: [{flow: discharge-summary, transport: mesh}]
                    reference: {role: gp-practice}
                """);
        TestbedConnection connection = TestbedConnection.forTestbed(testbed.baseUrl() + "/fhir", "ldr-testbed");

        try (ReferenceSystems references = ReferenceSystems.start(
                file.systems(), connection, listener -> {}, new PrintStream(OutputStream.nullOutputStream()))) {
            SystemBinding gp = references.systems().getFirst();
            assertThat(gp.endpoint().mailbox()).isEqualTo("SYNG09-MBX");
            assertThat(gp.endpoint().fhirBase()).startsWith("http://127.0.0.1:");
            List<SystemUnderTest> bindings = gp.runBindings();
            assertThat(bindings).singleElement().satisfies(b -> {
                assertThat(b.transport()).isEqualTo(SystemUnderTest.MESH);
                assertThat(b.endpoint()).isEqualTo("SYNG09-MBX");
            });
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() ->
                            testbed.verify(getRequestedFor(urlPathEqualTo("/mesh/messageexchange/SYNG09-MBX/inbox"))
                                    .withHeader("Authorization", equalTo("Bearer gp-system-token"))));
            testbed.verify(postRequestedFor(urlPathEqualTo("/realms/ldr-testbed/protocol/openid-connect/token"))
                    .withRequestBody(containing("grant_type=client_credentials"))
                    .withRequestBody(containing("client_id=gp-clinical-system")));
        }
    }

    @Test
    void theTestbedsRootIsAboveItsFhirBase() {
        assertThat(ReferenceSystems.root(URI.create("http://localhost:8080/fhir/")))
                .isEqualTo(URI.create("http://localhost:8080"));
        assertThat(ReferenceSystems.root(URI.create("http://localhost:8080/fhir")))
                .isEqualTo(URI.create("http://localhost:8080"));
    }
}
