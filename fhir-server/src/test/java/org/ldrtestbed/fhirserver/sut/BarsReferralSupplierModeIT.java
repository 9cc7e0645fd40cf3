package org.ldrtestbed.fhirserver.sut;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Supplier mode by FHIR messaging: a run binds an ambulance service's system under test (a WireMock answering
 * {@code $process-message} with the standard acknowledgement) to receive NHS 111's BaRS referrals for SYNAM. The
 * referral goes to it as one message Bundle instead of the shared record's worklist; a {@code fatal-error}
 * acknowledgement dead-letters the message at once; a binding over a transport the flow does not travel is refused.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestPropertySource(properties = {"testbed.routes.redelivery-delay=PT0.1S", "testbed.routes.max-redeliveries=2"})
class BarsReferralSupplierModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CALL_HANDLER = "callhandler.okafor";
    private static final WireMockServer AMBULANCE = new WireMockServer(options().dynamicPort());

    @LocalServerPort
    int port;

    @BeforeAll
    static void startAmbulanceSystem() {
        AMBULANCE.start();
    }

    @AfterAll
    static void stopAmbulanceSystem() {
        AMBULANCE.stop();
    }

    @BeforeEach
    void resetAmbulanceSystem() {
        AMBULANCE.resetAll();
    }

    @Test
    void aBoundAmbulanceSystemReceivesTheReferralMessageOnceAndTheSharedRecordFilesNothing() throws Exception {
        AMBULANCE.stubFor(post(urlEqualTo("/ambulance/fhir/$process-message")).willReturn(acknowledgement("ok")));
        String nhs = testbed().registerPatient();
        String run = "bars-ok-" + UUID.randomUUID();
        register(run, nhs, binding("process-message", AMBULANCE.baseUrl() + "/ambulance/fhir"));

        refer(nhs, run);

        await().atMost(Duration.ofSeconds(30)).until(() -> stages(run).contains("DELIVERED"));
        AMBULANCE.verify(
                1,
                postRequestedFor(urlEqualTo("/ambulance/fhir/$process-message"))
                        .withHeader("Content-Type", containing("application/fhir+json"))
                        .withHeader("Authorization", equalTo("Bearer ambulance-token"))
                        .withRequestBody(containing("\"type\":\"message\""))
                        .withRequestBody(containing("servicerequest-request"))
                        .withRequestBody(containing(nhs)));
        assertThat(stages(run)).containsExactly("RECEIVED", "TRANSFORMED", "DELIVERED");
        // The acknowledgement names the request's own MessageHeader: the WireMock echoes it back.
        assertThat(admin("GET", "/testbed/messages?journey=" + run + "&stage=DELIVERED", null, 200)
                        .get(0)
                        .get("detail")
                        .asText())
                .isEqualTo("sent to SUT ambulance-epr (process-message) " + AMBULANCE.baseUrl()
                        + "/ambulance/fhir/$process-message: 200, acknowledged ok");
        JsonNode exchanges = admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200);
        assertThat(exchanges).hasSize(1);
        JsonNode exchange = exchanges.get(0);
        assertThat(exchange.get("transport").asText()).isEqualTo("process-message");
        assertThat(exchange.get("direction").asText()).isEqualTo("to-sut");
        assertThat(exchange.get("system").asText()).isEqualTo("ambulance-epr");
        assertThat(exchange.get("flow").asText()).isEqualTo("bars-referral");
        assertThat(exchange.get("nhsNumber").asText()).isEqualTo(nhs);
        assertThat(exchange.get("status").asInt()).isEqualTo(200);
        assertThat(exchange.get("response").asText()).contains("\"code\":\"ok\"");
        assertThat(worklistEntries(nhs)).isZero();
    }

    @Test
    void aFatalErrorAcknowledgementDeadLettersTheReferralAtOnce() throws Exception {
        AMBULANCE.stubFor(post(urlEqualTo("/fatal/fhir/$process-message")).willReturn(acknowledgement("fatal-error")));
        String nhs = testbed().registerPatient();
        String run = "bars-fatal-" + UUID.randomUUID();
        register(run, nhs, binding("process-message", AMBULANCE.baseUrl() + "/fatal/fhir"));

        refer(nhs, run);

        await().atMost(Duration.ofSeconds(30)).until(() -> stages(run).contains("DEAD_LETTERED"));
        assertThat(stages(run)).containsExactly("RECEIVED", "TRANSFORMED", "FAILED", "DEAD_LETTERED");
        AMBULANCE.verify(1, postRequestedFor(urlEqualTo("/fatal/fhir/$process-message")));
        assertThat(admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200))
                .singleElement()
                .satisfies(e -> assertThat(e.get("response").asText()).contains("fatal-error"));
        assertThat(worklistEntries(nhs)).isZero();
    }

    @Test
    void aBindingOfTheReferralOverFhirRestIsRefused() throws Exception {
        ObjectNode switches = runSwitches("9990000077", binding("fhir-rest", AMBULANCE.baseUrl() + "/fhir"));

        assertThat(admin("PUT", "/testbed/runs/refused-" + UUID.randomUUID(), switches, 400)
                        .get("error")
                        .asText())
                .contains("bars-referral")
                .contains("cannot deliver to a system under test over fhir-rest");
    }

    /** The standard acknowledgement, naming the request's MessageHeader id (WireMock's response templating). */
    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder acknowledgement(String code) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/fhir+json")
                .withTransformers("response-template")
                .withBody("{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{\"resource\":{"
                        + "\"resourceType\":\"MessageHeader\",\"id\":\"ack-1\",\"eventCoding\":{\"system\":"
                        + "\"https://fhir.nhs.uk/CodeSystem/message-events-bars\",\"code\":\"servicerequest-request\"},"
                        + "\"source\":{\"endpoint\":\"https://ambulance.example\"},\"response\":{\"identifier\":"
                        + "\"{{jsonPath request.body '$.entry[0].resource.id'}}\",\"code\":\"" + code + "\"}}}]}");
    }

    /** NHS 111's call, then its referral of the patient to the ambulance service, written in the run. */
    private void refer(String nhs, String run) {
        String patient = "Patient/"
                + testbed()
                        .search("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                        .getEntryFirstRep()
                        .getResource()
                        .getIdElement()
                        .getIdPart();
        Encounter call = new Encounter();
        call.setStatus(Encounter.EncounterStatus.FINISHED);
        call.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"));
        call.setSubject(new Reference(patient));
        call.setServiceProvider(new Reference("Organization/SYN111"));
        String encounter = testbed()
                .as(CALL_HANDLER, run)
                .create()
                .resource(call)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        ServiceRequest referral = new ServiceRequest();
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.setPriority(ServiceRequest.ServiceRequestPriority.URGENT);
        referral.getCode().setText("Ambulance response - face-to-face assessment at home");
        referral.setSubject(new Reference(patient));
        referral.setEncounter(new Reference(encounter));
        referral.setAuthoredOn(new Date());
        referral.addPerformer(new Reference("Organization/SYNAM"));
        testbed().as(CALL_HANDLER, run).create().resource(referral).execute();
    }

    private int worklistEntries(String nhs) {
        return testbed()
                .count("Task?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs + "&owner=Organization/SYNAM");
    }

    private void register(String run, String nhs, ObjectNode binding) throws Exception {
        binding.put("authorization", "Bearer ambulance-token");
        admin("PUT", "/testbed/runs/" + run, runSwitches(nhs, binding), 200);
    }

    private static ObjectNode binding(String transport, String endpoint) {
        return JSON.createObjectNode()
                .put("system", "ambulance-epr")
                .put("flow", "bars-referral")
                .put("organisation", "SYNAM")
                .put("direction", "RECEIVES")
                .put("transport", transport)
                .put("endpoint", endpoint);
    }

    private static ObjectNode runSwitches(String nhs, ObjectNode... systems) {
        ObjectNode switches = JSON.createObjectNode();
        switches.putArray("disabledFlows");
        switches.putArray("rules");
        switches.putArray("nhsNumbers").add(nhs);
        var bound = switches.putArray("systemsUnderTest");
        for (ObjectNode system : systems) {
            bound.add(system);
        }
        return switches;
    }

    private List<String> stages(String run) throws Exception {
        List<String> stages = new ArrayList<>();
        admin("GET", "/testbed/messages?journey=" + run + "&flow=bars-referral", null, 200)
                .forEach(e -> stages.add(e.get("stage").asText()));
        return stages;
    }

    private JsonNode admin(String method, String path, JsonNode body, int expectedStatus) throws Exception {
        return testbed().admin(method, path, body, expectedStatus);
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
