package org.ldrtestbed.routes.sut;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.contract.SystemUnderTest.Direction;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.sut.SutTransport.Outgoing;
import org.ldrtestbed.routes.sut.SutTransport.SutUnavailableException;

/**
 * The FHIR REST transport against a WireMock playing a GP system under test: what it sends, how it reads each answer,
 * and one exchange kept per attempt.
 */
class FhirRestTransportTest {

    private static final Instant RUN_TIME = Instant.parse("2026-03-02T10:15:00Z");
    private static final String DOCUMENT =
            "{\"resourceType\":\"Bundle\",\"type\":\"document\",\"identifier\":{\"system\":\"urn:ietf:rfc:3986\","
                    + "\"value\":\"urn:uuid:1\"}}";
    private static final Outgoing MESSAGE = new Outgoing("run-1", "discharge-summary", "msg-1", "9990000077", DOCUMENT);

    private final WireMockServer gpSystem = new WireMockServer(options().dynamicPort());
    private final InMemorySutExchanges exchanges = new InMemorySutExchanges();
    private final FhirRestTransport transport = new FhirRestTransport(
            FhirContext.forR4Cached(), exchanges, Clock.fixed(RUN_TIME, ZoneOffset.UTC), Duration.ofSeconds(1));

    @BeforeEach
    void start() {
        gpSystem.start();
    }

    @AfterEach
    void stop() {
        gpSystem.stop();
    }

    @Test
    void aCreatedDocumentIsDeliveredWithTheAnswerKept() {
        gpSystem.stubFor(post(urlEqualTo("/fhir/Bundle"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Location", gpSystem.baseUrl() + "/fhir/Bundle/7/_history/1")
                        .withBody("{\"resourceType\":\"Bundle\",\"id\":\"7\"}")));

        String detail = transport.send(gp("Bearer gp-token"), MESSAGE);

        assertThat(detail)
                .isEqualTo("sent to SUT gp-system (fhir-rest) " + gpSystem.baseUrl() + "/fhir/Bundle: 201, Location "
                        + gpSystem.baseUrl() + "/fhir/Bundle/7/_history/1");
        gpSystem.verify(
                1,
                postRequestedFor(urlEqualTo("/fhir/Bundle"))
                        .withHeader("Content-Type", equalTo("application/fhir+json"))
                        .withHeader("Authorization", equalTo("Bearer gp-token"))
                        // A redelivery after a timeout is a conditional create: filed once by a server that honours it.
                        .withHeader(
                                "If-None-Exist",
                                com.github.tomakehurst.wiremock.client.WireMock.matching(
                                        "identifier=urn:ietf:rfc:3986\\|.+"))
                        .withRequestBody(equalToJson(DOCUMENT)));
        assertThat(exchanges.kept).singleElement().satisfies(e -> {
            assertThat(e.run()).isEqualTo("run-1");
            assertThat(e.system()).isEqualTo("gp-system");
            assertThat(e.flow()).isEqualTo("discharge-summary");
            assertThat(e.messageId()).isEqualTo("msg-1");
            assertThat(e.direction()).isEqualTo(SutExchange.TO_SUT);
            assertThat(e.transport()).isEqualTo(SystemUnderTest.FHIR_REST);
            assertThat(e.endpoint()).isEqualTo(gpSystem.baseUrl() + "/fhir/Bundle");
            assertThat(e.nhsNumber()).isEqualTo("9990000077");
            assertThat(e.request()).isEqualTo(DOCUMENT);
            assertThat(e.status()).isEqualTo(201);
            assertThat(e.response()).contains("\"id\":\"7\"");
            assertThat(e.location()).endsWith("/fhir/Bundle/7/_history/1");
            assertThat(e.error()).isNull();
            assertThat(e.at()).isEqualTo(RUN_TIME);
        });
    }

    @Test
    void withoutAnAuthorizationInTheBindingNoneIsSent() {
        gpSystem.stubFor(post(urlEqualTo("/fhir/Bundle")).willReturn(aResponse().withStatus(200)));

        transport.send(gp(null), MESSAGE);

        gpSystem.verify(1, postRequestedFor(urlEqualTo("/fhir/Bundle")).withoutHeader("Authorization"));
    }

    @Test
    void a503IsTransientAndEachAttemptIsKept() {
        gpSystem.stubFor(post(urlEqualTo("/fhir/Bundle"))
                .inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("busy"))
                .willSetStateTo("recovered"));
        gpSystem.stubFor(post(urlEqualTo("/fhir/Bundle"))
                .inScenario("outage")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201)));

        assertThatThrownBy(() -> transport.send(gp(null), MESSAGE))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("busy");
        String detail = transport.send(gp(null), MESSAGE);

        assertThat(detail).endsWith(": 201");
        assertThat(exchanges.kept).extracting(SutExchange::status).containsExactly(503, 201);
    }

    @Test
    void aSystemThatDoesNotAnswerInTimeIsTransient() {
        gpSystem.stubFor(post(urlEqualTo("/fhir/Bundle"))
                .willReturn(aResponse().withStatus(201).withFixedDelay(5_000)));

        assertThatThrownBy(() -> transport.send(gp(null), MESSAGE))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("did not answer within PT1S");
        assertThat(exchanges.kept).singleElement().satisfies(e -> {
            assertThat(e.status()).isNull();
            assertThat(e.error()).contains("did not answer within PT1S");
        });
    }

    @Test
    void aSystemThatIsDownIsTransient() {
        String down = "http://localhost:" + freePort() + "/fhir";

        assertThatThrownBy(() -> transport.send(
                        new SystemUnderTest(
                                "gp-system",
                                "discharge-summary",
                                "SYNG09",
                                Direction.RECEIVES,
                                "fhir-rest",
                                down,
                                null),
                        MESSAGE))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("is unreachable");
        assertThat(exchanges.kept)
                .singleElement()
                .satisfies(e -> assertThat(e.error()).contains("unreachable"));
    }

    @Test
    void a4xxCanNeverSucceedAndCarriesTheAnswer() {
        gpSystem.stubFor(post(urlEqualTo("/fhir/Bundle"))
                .willReturn(aResponse()
                        .withStatus(422)
                        .withBody("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"no GP\"}]}")));

        assertThatThrownBy(() -> transport.send(gp(null), MESSAGE))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("refused the message (HTTP 422)")
                .hasMessageContaining("no GP");
        assertThat(exchanges.kept).extracting(SutExchange::status).containsExactly(422);
    }

    private SystemUnderTest gp(String authorization) {
        return new SystemUnderTest(
                "gp-system",
                "discharge-summary",
                "SYNG09",
                Direction.RECEIVES,
                SystemUnderTest.FHIR_REST,
                gpSystem.baseUrl() + "/fhir/",
                authorization);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
