package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.conformance.SystemsFile.Endpoint;
import org.ldrtestbed.scenarios.conformance.SystemsFile.FlowBinding;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.engine.AdminApis;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.sut.Fault;
import org.ldrtestbed.scenarios.sut.ReferenceBarsReceiver;

/**
 * The conformance checks of a system receiving by FHIR messaging, judged from the exchange the testbed kept of a BaRS
 * message it sent the reference ambulance system: a correct system passes each check, a faulty one fails the one its
 * fault breaks.
 */
class SupplierSessionMessagingTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final String RUN = "run-1";
    private static final String DOT = "9990000077";

    private ReferenceBarsReceiver ambulance;
    private HttpServer testbed;

    @AfterEach
    void stop() {
        if (ambulance != null) {
            ambulance.close();
        }
        if (testbed != null) {
            testbed.stop(0);
        }
    }

    @Test
    void aCorrectSystemPassesTransportAcknowledgementFiledAndTimeliness() throws Exception {
        assertThat(judge(Fault.NONE))
                .containsEntry("transport", "PASS")
                .containsEntry("acknowledgement", "PASS")
                .containsEntry("filed", "PASS")
                .containsEntry("timeliness", "PASS");
    }

    @Test
    void anInvalidAcknowledgementFailsThatCheckOnly() throws Exception {
        assertThat(judge(Fault.INVALID))
                .containsEntry("transport", "PASS")
                .containsEntry("acknowledgement", "FAIL")
                .containsEntry("filed", "PASS");
    }

    @Test
    void aReferralKeptForAnotherPatientFailsFiled() throws Exception {
        assertThat(judge(Fault.WRONG_PATIENT))
                .containsEntry("acknowledgement", "PASS")
                .containsEntry("filed", "FAIL");
    }

    @Test
    void aSystemThatIsDownFailsTransportAndBlocksTheRest() throws Exception {
        assertThat(judge(Fault.SERVER_ERROR))
                .containsEntry("transport", "FAIL")
                .containsEntry("acknowledgement", "BLOCKED")
                .containsEntry("filed", "BLOCKED");
    }

    /** Sends the reference system a BaRS message as the testbed would, then judges the exchange: check → verdict. */
    private Map<String, String> judge(Fault fault) throws Exception {
        ambulance = new ReferenceBarsReceiver(0, fault).start();
        String wire = FHIR.newJsonParser().encodeResourceToString(referral());
        String endpoint = ambulance.baseUrl() + "/$process-message";
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(endpoint))
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(wire))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Instant now = Instant.parse("2026-03-02T10:15:00Z");
        SutExchange exchange = new SutExchange(
                1,
                RUN,
                "ambulance-epr",
                "bars-referral",
                "msg-1",
                SutExchange.TO_SUT,
                SystemUnderTest.PROCESS_MESSAGE,
                endpoint,
                DOT,
                wire,
                answer.statusCode(),
                answer.body(),
                null,
                null,
                now);
        serveExchanges(List.of(exchange));
        SystemBinding system = new SystemBinding(
                "ambulance-epr",
                "Reference ambulance service",
                "SYNAM",
                List.of(new FlowBinding("bars-referral", SystemUnderTest.PROCESS_MESSAGE)),
                List.of(),
                new Endpoint(ambulance.baseUrl(), null, null),
                null);
        SupplierSession session = new SupplierSession(
                List.of(system),
                FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION),
                new FhirValidation(FHIR),
                Duration.ofSeconds(1),
                List.of(),
                Clock.systemUTC());

        session.runEnded(
                result(now),
                AdminApis.at(
                        URI.create("http://127.0.0.1:" + testbed.getAddress().getPort() + "/")));

        Map<String, String> verdicts = new LinkedHashMap<>();
        session.checks().forEach(c -> verdicts.put(c.check(), c.verdict()));
        return verdicts;
    }

    private void serveExchanges(List<SutExchange> exchanges) throws Exception {
        byte[] body = JSON.writeValueAsBytes(exchanges);
        testbed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        testbed.createContext("/testbed/runs/" + RUN + "/exchanges", http -> {
            http.getResponseHeaders().add("Content-Type", "application/json");
            http.sendResponseHeaders(200, body.length);
            http.getResponseBody().write(body);
            http.close();
        });
        testbed.start();
    }

    private static JourneyResult result(Instant now) {
        return new JourneyResult(
                "dot",
                "Dot",
                "journeys/copd/dot.journey.yaml",
                RUN,
                "http://testbed",
                now,
                Duration.ofMinutes(1),
                DOT,
                Set.of(),
                List.of(),
                List.of(),
                List.of(new JourneyResult.Timeliness(
                        "call-handler-requests-ambulance",
                        "bars-referral",
                        "msg-1",
                        "the referral's write",
                        now,
                        now.plusSeconds(2),
                        Duration.ofSeconds(2),
                        Duration.ofMinutes(5),
                        "MET")),
                JourneyResult.FULL_DEPLOYMENT,
                List.of(),
                Map.of());
    }

    /** NHS 111's referral of Dot (synthetic) as the testbed's BaRS servicerequest-request message. */
    private static Bundle referral() {
        String headerId = UUID.randomUUID().toString();
        String focus = "urn:uuid:" + UUID.randomUUID();
        ServiceRequest referral = new ServiceRequest();
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.getCode().setText("Ambulance response - face-to-face assessment at home");
        referral.setSubject(new Reference("Patient/7")
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(DOT)));
        MessageHeader header = new MessageHeader();
        header.setId(headerId);
        header.setEvent(
                new Coding("https://fhir.nhs.uk/CodeSystem/message-events-bars", "servicerequest-request", null));
        header.setSource(new MessageHeader.MessageSourceComponent().setEndpoint("https://fhir.ldr-testbed.example"));
        header.addFocus(new Reference(focus));
        Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE);
        message.setIdentifier(new Identifier()
                .setSystem("https://tools.ietf.org/html/rfc4122")
                .setValue(UUID.randomUUID().toString()));
        message.setTimestamp(new Date());
        message.addEntry().setFullUrl("urn:uuid:" + headerId).setResource(header);
        message.addEntry().setFullUrl(focus).setResource(referral);
        return message;
    }
}
