package org.ldrtestbed.scenarios.sut;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.Prompt;

/** The reference PAS against HAPI HL7v2's own MLLP server, which records what it gets and acknowledges it. */
class ReferencePasTest {

    private static final Map<String, String> ADMISSION = Map.ofEntries(
            Map.entry("event", "A01"),
            Map.entry("nhs-number", "9990000050"),
            Map.entry("family", "Synthetic-Banbury"),
            Map.entry("given", "Ezra"),
            Map.entry("birth-date", "19520614"),
            Map.entry("gender", "M"),
            Map.entry("gp-practice", "SYNG09"),
            Map.entry("sending-facility", "SYNAC"),
            Map.entry("ward", "SYNAC01-AMU"),
            Map.entry("site", "SYNAC01"),
            Map.entry("attending-id", "900000000105"),
            Map.entry("attending-family", "Marsh"),
            Map.entry("attending-given", "Priya"),
            Map.entry("visit-number", "V-run-7"),
            Map.entry("admitted", "20260203090000"),
            Map.entry("event-time", "20260203090000"),
            Map.entry("control-id", "run-7-pas-admits-ezra"));

    private static final HapiContext hl7 = new DefaultHapiContext();
    private static final List<Message> received = new CopyOnWriteArrayList<>();
    private static HL7Service server;
    private static int port;

    @BeforeEach
    void forgetWhatWasReceived() {
        received.clear();
    }

    /**
     * One receiver for the class: stopping HAPI's server takes a second or two. Shared, it also shows that closing a
     * PAS leaves the JVM's other HL7v2 users working (HAPI's default executor is shared).
     */
    @BeforeAll
    static void startReceiver() throws Exception {
        hl7.setValidationContext(ValidationContextFactory.noValidation());
        hl7.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        server = hl7.newServer(port, false);
        server.registerApplication("*", "*", new ReceivingApplication<>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                received.add(message);
                try {
                    boolean hasPatient = new Terser(message).get("PID-3-1") != null;
                    return hasPatient
                            ? message.generateACK()
                            : message.generateACK(AcknowledgmentCode.AR, new HL7Exception("PID-3 is required"));
                } catch (IOException e) {
                    throw new HL7Exception(e);
                }
            }

            @Override
            public boolean canProcess(Message message) {
                return true;
            }
        });
        server.startAndWait();
    }

    @AfterAll
    static void stopReceiver() throws IOException {
        server.stopAndWait();
        hl7.close();
    }

    private static Prompt prompt(Map<String, String> facts) {
        Instant at = Instant.parse("2026-02-03T09:00:00Z");
        return new Prompt(
                "run-7",
                "pas-admits-ezra",
                "reference-pas",
                "SYNAC",
                "adt-notification",
                "Send the admission of Ezra now",
                facts,
                null,
                at,
                Instant.now().plusSeconds(60));
    }

    private ReferencePas.Exchange act(Fault fault) throws IOException {
        try (ReferencePas pas = new ReferencePas("127.0.0.1", port, fault)) {
            return pas.act(prompt(ADMISSION));
        }
    }

    private Terser onlyReceived() {
        assertThat(received).hasSize(1);
        return new Terser(received.getFirst());
    }

    @Test
    void sendsTheAdmissionThePromptAsksFor() throws Exception {
        ReferencePas.Exchange exchange = act(Fault.NONE);

        assertThat(exchange.ackCode()).isEqualTo("AA");
        assertThat(exchange.message()).startsWith("MSH|^~\\&|PAS|SYNAC|LDR|");
        Terser t = onlyReceived();
        assertThat(t.get("MSH-9-1") + "^" + t.get("MSH-9-2") + "^" + t.get("MSH-9-3"))
                .isEqualTo("ADT^A01^ADT_A01");
        assertThat(t.get("MSH-10")).isEqualTo("run-7-pas-admits-ezra");
        assertThat(t.get("MSH-12")).isEqualTo("2.4");
        assertThat(t.get("EVN-2-1")).isEqualTo("20260203090000");
        assertThat(t.get("PID-3-1")).isEqualTo("9990000050");
        assertThat(t.get("PID-3-4-1")).isEqualTo("NHS");
        assertThat(t.get("PID-3-5")).isEqualTo("NH");
        assertThat(t.get("PID-5-1")).isEqualTo("Synthetic-Banbury");
        assertThat(t.get("PD1-3-3")).isEqualTo("SYNG09");
        assertThat(t.get("PV1-3-1")).isEqualTo("SYNAC01-AMU");
        assertThat(t.get("PV1-3-4")).isEqualTo("SYNAC01");
        assertThat(t.get("PV1-7-1")).isEqualTo("900000000105");
        assertThat(t.get("PV1-7-2")).isEqualTo("Marsh");
        assertThat(t.get("PV1-19-1")).isEqualTo("V-run-7");
        assertThat(t.get("PV1-44-1")).isEqualTo("20260203090000");
        assertThat(t.get("PV1-45-1")).isNull();
    }

    @Test
    void aDischargeCarriesItsTriggerAndDischargeTime() throws Exception {
        Map<String, String> discharge = new java.util.HashMap<>(ADMISSION);
        discharge.put("event", "A03");
        discharge.put("discharged", "20260206090000");
        try (ReferencePas pas = new ReferencePas("127.0.0.1", port, Fault.NONE)) {
            pas.act(prompt(discharge));
        }
        Terser t = onlyReceived();
        assertThat(t.get("MSH-9-2")).isEqualTo("A03");
        assertThat(t.get("EVN-1")).isEqualTo("A03");
        assertThat(t.get("PV1-45-1")).isEqualTo("20260206090000");
    }

    @Test
    void aPromptWithoutAFactItNeedsIsRefusedNamingIt() {
        Map<String, String> noWard = new java.util.HashMap<>(ADMISSION);
        noWard.remove("ward");
        try (ReferencePas pas = new ReferencePas("127.0.0.1", port, Fault.NONE)) {
            assertThatThrownBy(() -> pas.act(prompt(noWard)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'ward'");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(received).isEmpty();
    }

    @Test
    void wrongPatientSendsAnotherNhsNumber() throws Exception {
        act(Fault.WRONG_PATIENT);

        assertThat(onlyReceived().get("PID-3-1"))
                .isEqualTo(Fault.WRONG_NHS_NUMBER)
                .isNotEqualTo("9990000050");
    }

    @Test
    void invalidLeavesPid3EmptySoTheReceiverRefusesIt() throws Exception {
        ReferencePas.Exchange exchange = act(Fault.INVALID);

        assertThat(onlyReceived().get("PID-3-1")).isNull();
        assertThat(exchange.ackCode()).isEqualTo("AR");
    }

    @Test
    void silenceSendsNothing() throws Exception {
        ReferencePas.Exchange exchange = act(Fault.SILENCE);

        assertThat(exchange.sent()).isFalse();
        assertThat(received).isEmpty();
    }

    @Test
    void lateStampsTheMessageAnHourBeforeTheEvent() throws Exception {
        act(Fault.LATE);

        Terser t = onlyReceived();
        assertThat(t.get("EVN-2-1")).isEqualTo("20260203080000");
        assertThat(t.get("MSH-7-1")).isEqualTo("20260203080000");
        assertThat(AdtPromptTranslator.anHourBefore("202602030005+0000")).isEqualTo("202602022305+0000");
    }

    @Test
    void fiveHundredsIsNotASendersFault() {
        assertThatThrownBy(() -> new ReferencePas("127.0.0.1", port, Fault.SERVER_ERROR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5xx")
                .hasMessageContaining("does not apply");
    }

    /** The shape {@code GET /testbed/prompts} answers: a JSON list of Prompt, instants as ISO-8601 strings. */
    private static String promptsJson() throws IOException {
        return """
                [{"run":"run-7","step":"pas-admits-ezra","system":"reference-pas","organisation":"SYNAC",
                  "flow":"adt-notification","text":"Send the admission of Ezra now",
                  "facts":%s,
                  "example":null,"at":"2026-02-03T09:00:00Z","expires":"2099-01-01T00:00:00Z",
                  "aFieldAddedLater":true}]
                """.formatted(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(ADMISSION));
    }

    @Test
    void keepsFollowingWhenTheTestbedIsDownForAWhile() throws Exception {
        WireMockServer testbed =
                new WireMockServer(WireMockConfiguration.options().dynamicPort());
        testbed.start();
        testbed.stubFor(get(urlPathEqualTo("/testbed/prompts"))
                .inScenario("restarting")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        testbed.stubFor(get(urlPathEqualTo("/testbed/prompts"))
                .inScenario("restarting")
                .whenScenarioStateIs("up")
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(promptsJson())));
        List<String> log = new CopyOnWriteArrayList<>();
        ReferencePas pas = new ReferencePas("127.0.0.1", port, Fault.NONE)
                .pollingEvery(Duration.ofMillis(50))
                .reportingTo(log::add);
        Thread follower = Thread.ofVirtual()
                .start(() -> pas.follow(URI.create(testbed.baseUrl()), () -> "synthetic-token", "reference-pas"));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
            assertThat(log).anyMatch(line -> line.contains("failed: HTTP 503"));
        } finally {
            pas.close();
            follower.join(Duration.ofSeconds(5));
            testbed.stop();
        }
    }

    @Test
    void followsTheTestbedsPromptsActingOncePerRunAndStep() throws Exception {
        WireMockServer testbed =
                new WireMockServer(WireMockConfiguration.options().dynamicPort());
        testbed.start();
        testbed.stubFor(get(urlPathEqualTo("/testbed/prompts"))
                .withQueryParam("system", equalTo("reference-pas"))
                .withHeader("Authorization", equalTo("Bearer synthetic-token"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(promptsJson())));
        List<String> log = new CopyOnWriteArrayList<>();
        ReferencePas pas = new ReferencePas("127.0.0.1", port, Fault.NONE)
                .pollingEvery(Duration.ofMillis(50))
                .reportingTo(log::add);
        Thread follower = Thread.ofVirtual()
                .start(() -> pas.follow(URI.create(testbed.baseUrl() + "/"), () -> "synthetic-token", "reference-pas"));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
            // Three more polls list the same prompt: none of them sends it again.
            int polls = testbed.findAll(getRequestedFor(urlPathEqualTo("/testbed/prompts")))
                    .size();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> testbed.findAll(getRequestedFor(urlPathEqualTo("/testbed/prompts")))
                                    .size()
                            >= polls + 3);
            assertThat(received).hasSize(1);
            assertThat(new Terser(received.getFirst()).get("MSH-10")).isEqualTo("run-7-pas-admits-ezra");
            assertThat(log).anyMatch(line -> line.startsWith("Sent run-7/pas-admits-ezra A01") && line.endsWith("AA"));
        } finally {
            pas.close();
            follower.join(Duration.ofSeconds(5));
            testbed.stop();
        }
        assertThat(follower.isAlive()).isFalse();
    }
}
