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
 * The FHIR messaging transport against a WireMock playing an ambulance service's system: what it posts, how it reads
 * each answer and acknowledgement, and one exchange kept per attempt.
 */
class ProcessMessageTransportTest {

    private static final Instant RUN_TIME = Instant.parse("2026-03-02T10:15:00Z");
    private static final String HEADER_ID = "5c7a1b52-3f0e-4d59-9d7e-2f2c8f1b0a11";
    private static final String MESSAGE_BUNDLE = "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{"
            + "\"fullUrl\":\"urn:uuid:" + HEADER_ID + "\",\"resource\":{\"resourceType\":\"MessageHeader\",\"id\":\""
            + HEADER_ID + "\",\"eventCoding\":{\"system\":\"https://fhir.nhs.uk/CodeSystem/message-events-bars\","
            + "\"code\":\"servicerequest-request\"},\"source\":{\"endpoint\":\"https://fhir.ldr-testbed.example\"}}}]}";
    private static final Outgoing MESSAGE =
            new Outgoing("run-1", "bars-referral", "msg-1", "9990000077", MESSAGE_BUNDLE);
    private static final String OPERATION = "/fhir/$process-message";

    private final WireMockServer ambulance = new WireMockServer(options().dynamicPort());
    private final InMemorySutExchanges exchanges = new InMemorySutExchanges();
    private final ProcessMessageTransport transport = new ProcessMessageTransport(
            FhirContext.forR4Cached(), exchanges, Clock.fixed(RUN_TIME, ZoneOffset.UTC), Duration.ofSeconds(1));

    @BeforeEach
    void start() {
        ambulance.start();
    }

    @AfterEach
    void stop() {
        ambulance.stop();
    }

    @Test
    void anOkAcknowledgementIsDeliveredWithTheAnswerKept() {
        ambulance.stubFor(post(urlEqualTo(OPERATION)).willReturn(ack(200, HEADER_ID, "ok")));

        String detail = transport.send(ambulance("Bearer crew-token"), MESSAGE);

        assertThat(detail)
                .isEqualTo("sent to SUT ambulance-epr (process-message) " + ambulance.baseUrl() + OPERATION
                        + ": 200, acknowledged ok");
        ambulance.verify(
                1,
                postRequestedFor(urlEqualTo(OPERATION))
                        .withHeader("Content-Type", equalTo("application/fhir+json"))
                        .withHeader("Authorization", equalTo("Bearer crew-token"))
                        .withRequestBody(equalToJson(MESSAGE_BUNDLE)));
        assertThat(exchanges.kept).singleElement().satisfies(e -> {
            assertThat(e.run()).isEqualTo("run-1");
            assertThat(e.system()).isEqualTo("ambulance-epr");
            assertThat(e.flow()).isEqualTo("bars-referral");
            assertThat(e.messageId()).isEqualTo("msg-1");
            assertThat(e.direction()).isEqualTo(SutExchange.TO_SUT);
            assertThat(e.transport()).isEqualTo(SystemUnderTest.PROCESS_MESSAGE);
            assertThat(e.endpoint()).isEqualTo(ambulance.baseUrl() + OPERATION);
            assertThat(e.nhsNumber()).isEqualTo("9990000077");
            assertThat(e.request()).isEqualTo(MESSAGE_BUNDLE);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.response()).contains("\"identifier\":\"" + HEADER_ID + "\"");
            assertThat(e.location()).isNull();
            assertThat(e.error()).isNull();
            assertThat(e.at()).isEqualTo(RUN_TIME);
        });
    }

    @Test
    void withoutAnAuthorizationInTheBindingNoneIsSent() {
        ambulance.stubFor(post(urlEqualTo(OPERATION)).willReturn(ack(200, HEADER_ID, "ok")));

        transport.send(ambulance(null), MESSAGE);

        ambulance.verify(1, postRequestedFor(urlEqualTo(OPERATION)).withoutHeader("Authorization"));
    }

    @Test
    void anAcknowledgementOfAnotherMessageIsDeliveredButSaysSo() {
        ambulance.stubFor(post(urlEqualTo(OPERATION)).willReturn(ack(200, "another-header", "ok")));

        assertThat(transport.send(ambulance(null), MESSAGE))
                .endsWith("acknowledged ok (for MessageHeader another-header, not " + HEADER_ID + ")");
    }

    @Test
    void aTransientErrorAcknowledgementIsRetriedAndEachAttemptIsKept() {
        ambulance.stubFor(post(urlEqualTo(OPERATION))
                .inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ack(200, HEADER_ID, "transient-error"))
                .willSetStateTo("recovered"));
        ambulance.stubFor(post(urlEqualTo(OPERATION))
                .inScenario("busy")
                .whenScenarioStateIs("recovered")
                .willReturn(ack(200, HEADER_ID, "ok")));

        assertThatThrownBy(() -> transport.send(ambulance(null), MESSAGE))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("acknowledged transient-error");
        assertThat(transport.send(ambulance(null), MESSAGE)).endsWith("acknowledged ok");
        assertThat(exchanges.kept).extracting(SutExchange::status).containsExactly(200, 200);
    }

    @Test
    void aFatalErrorAcknowledgementCanNeverSucceed() {
        ambulance.stubFor(post(urlEqualTo(OPERATION)).willReturn(ack(200, HEADER_ID, "fatal-error")));

        assertThatThrownBy(() -> transport.send(ambulance(null), MESSAGE))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("acknowledged fatal-error");
        assertThat(exchanges.kept).hasSize(1);
    }

    @Test
    void a503IsTransient() {
        ambulance.stubFor(post(urlEqualTo(OPERATION))
                .willReturn(aResponse().withStatus(503).withBody("busy")));

        assertThatThrownBy(() -> transport.send(ambulance(null), MESSAGE))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("busy");
        assertThat(exchanges.kept).extracting(SutExchange::status).containsExactly(503);
    }

    @Test
    void a4xxCanNeverSucceedAndCarriesTheAnswer() {
        ambulance.stubFor(post(urlEqualTo(OPERATION))
                .willReturn(aResponse()
                        .withStatus(422)
                        .withBody(
                                "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"no crew\"}]}")));

        assertThatThrownBy(() -> transport.send(ambulance(null), MESSAGE))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("refused the message (HTTP 422)")
                .hasMessageContaining("no crew");
        assertThat(exchanges.kept).extracting(SutExchange::status).containsExactly(422);
    }

    @Test
    void aSystemThatDoesNotAnswerInTimeIsTransient() {
        ambulance.stubFor(
                post(urlEqualTo(OPERATION)).willReturn(ack(200, HEADER_ID, "ok").withFixedDelay(5_000)));

        assertThatThrownBy(() -> transport.send(ambulance(null), MESSAGE))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("did not answer within PT1S");
        assertThat(exchanges.kept).singleElement().satisfies(e -> {
            assertThat(e.status()).isNull();
            assertThat(e.error()).contains("did not answer within PT1S");
        });
    }

    @Test
    void aSystemThatIsDownIsTransient() {
        SystemUnderTest down = new SystemUnderTest(
                "ambulance-epr",
                "bars-referral",
                "SYNAM",
                Direction.RECEIVES,
                SystemUnderTest.PROCESS_MESSAGE,
                "http://localhost:" + freePort() + "/fhir",
                null);

        assertThatThrownBy(() -> transport.send(down, MESSAGE))
                .isInstanceOf(SutUnavailableException.class)
                .hasMessageContaining("is unreachable");
        assertThat(exchanges.kept)
                .singleElement()
                .satisfies(e -> assertThat(e.error()).contains("unreachable"));
    }

    @Test
    void aMessageWithoutAMessageHeaderIdIsNeverSent() {
        Outgoing document = new Outgoing(
                "run-1", "bars-referral", "msg-1", "9990000077", "{\"resourceType\":\"Bundle\",\"type\":\"document\"}");

        assertThatThrownBy(() -> transport.send(ambulance(null), document))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("MessageHeader id");
        assertThat(ambulance.getAllServeEvents()).isEmpty();
        assertThat(exchanges.kept).isEmpty();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ack(
            int status, String answers, String code) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/fhir+json")
                .withBody("{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{\"resource\":{"
                        + "\"resourceType\":\"MessageHeader\",\"id\":\"ack-1\",\"eventCoding\":{\"system\":"
                        + "\"https://fhir.nhs.uk/CodeSystem/message-events-bars\",\"code\":\"servicerequest-response\"},"
                        + "\"source\":{\"endpoint\":\"https://ambulance.example\"},\"response\":{\"identifier\":\""
                        + answers + "\",\"code\":\"" + code + "\"}}}]}");
    }

    private SystemUnderTest ambulance(String authorization) {
        return new SystemUnderTest(
                "ambulance-epr",
                "bars-referral",
                "SYNAM",
                Direction.RECEIVES,
                SystemUnderTest.PROCESS_MESSAGE,
                ambulance.baseUrl() + "/fhir/",
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
