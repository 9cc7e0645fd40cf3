package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import ca.uhn.hl7v2.util.StandardSocketFactory;
import ca.uhn.hl7v2.util.Terser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.contract.MllpClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;

/**
 * Supplier mode for ADT: a run binds a GP system under test (HAPI HL7v2's own MLLP server, answering as each test
 * says) to receive SYNG09's adt-notification over MLLP. The PAS's ADT still files the stay's Encounter in the shared
 * record; the GP's notification goes to the system as HL7v2 instead of being filed as a Communication. Its ACK decides
 * the delivery: AA delivered, no answer or AE retried then dead-lettered, AR dead-lettered at once.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestPropertySource(
        properties = {
            "testbed.routes.redelivery-delay=PT0.1S",
            "testbed.routes.max-redeliveries=2",
            "testbed.routes.sut-timeout=PT1S"
        })
class AdtNotificationSupplierModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the GP system does with a message, by the run its MSH-10 names. */
    private static final Map<String, Function<Message, Message>> ANSWERS = new ConcurrentHashMap<>();

    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static final CountDownLatch CLOSING = new CountDownLatch(1);
    private static HapiContext hl7;
    private static HL7Service gpSystem;
    private static int gpPort;

    @LocalServerPort
    int port;

    @Value("${testbed.routes.mllp-port}")
    int mllpPort;

    @BeforeAll
    static void startGpSystem() throws Exception {
        hl7 = new DefaultHapiContext();
        hl7.setValidationContext(ValidationContextFactory.noValidation());
        hl7.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        hl7.setExecutorService(Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("gp-mllp-", 0).factory()));
        ServerSocket[] bound = new ServerSocket[1];
        hl7.setSocketFactory(new StandardSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                bound[0] = new ServerSocket() {
                    @Override
                    public void bind(SocketAddress any, int backlog) throws IOException {
                        super.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
                    }
                };
                return bound[0];
            }
        });
        gpSystem = hl7.newServer(0, false);
        gpSystem.registerApplication(new ReceivingApplication<>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                RECEIVED.add(message.encode());
                String controlId = new Terser(message).get("MSH-10");
                return ANSWERS.entrySet().stream()
                        .filter(a -> controlId.startsWith(a.getKey()))
                        .findFirst()
                        .orElseThrow(() -> new HL7Exception("no answer set for " + controlId))
                        .getValue()
                        .apply(message);
            }

            @Override
            public boolean canProcess(Message message) {
                return true;
            }
        });
        gpSystem.startAndWait();
        gpPort = bound[0].getLocalPort();
    }

    @AfterAll
    static void stopGpSystem() throws IOException {
        CLOSING.countDown();
        gpSystem.stopAndWait();
        hl7.close();
    }

    @AfterEach
    void forget() {
        ANSWERS.clear();
    }

    @Test
    void anAaDeliversTheAdtToTheGpSystemAndTheSharedRecordFilesOnlyTheStay() throws Exception {
        Admission admission = admit(message -> ack(message, AcknowledgmentCode.AA));

        await().atMost(Duration.ofSeconds(30)).until(() -> stages(admission.run).contains("DELIVERED"));
        assertStages(admission.run, "DELIVERED");
        assertThat(received(admission)).singleElement().satisfies(m -> {
            String msh = m.split("\r")[0];
            // Addressed to the practice; the PAS's own control id, which names the run.
            assertThat(msh).startsWith("MSH|^~\\&|PAS|SYNAC|SYNG09|SYNG09|");
            assertThat(msh).contains("|" + admission.controlId + "|");
            assertThat(m).contains(admission.nhs + "^^^NHS^NH");
        });
        assertThat(detail(admission.run, "DELIVERED"))
                .contains("sent to SUT gp-system (mllp) 127.0.0.1:" + gpPort + ": ACK AA for " + admission.controlId);
        JsonNode toSut = exchangesToSut(admission.run);
        assertThat(toSut).hasSize(1);
        assertThat(toSut.get(0).get("transport").asText()).isEqualTo("mllp");
        assertThat(toSut.get(0).get("endpoint").asText()).isEqualTo("127.0.0.1:" + gpPort);
        assertThat(toSut.get(0).get("response").asText()).contains("MSA|AA|" + admission.controlId);
        assertThat(toSut.get(0).get("nhsNumber").asText()).isEqualTo(admission.nhs);
        assertThat(stays(admission)).isEqualTo(1);
        assertThat(gpNotifications(admission.nhs)).isZero();
    }

    @Test
    void aGpSystemThatNeverAcknowledgesIsRetriedThenDeadLetteredAndTheRecordFilesNoNotification() throws Exception {
        Admission admission = admit(message -> {
            awaitClosing();
            return ack(message, AcknowledgmentCode.AA);
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> stages(admission.run).contains("DEAD_LETTERED"));
        assertStages(admission.run, "FAILED", "FAILED", "FAILED", "DEAD_LETTERED");
        JsonNode toSut = exchangesToSut(admission.run);
        assertThat(toSut).hasSize(3);
        toSut.forEach(e -> assertThat(e.get("error").asText()).contains("did not acknowledge within PT1S"));
        assertThat(received(admission)).hasSize(3);
        // Filed again on each retry, the stay is still one Encounter; the notification never went to the record.
        assertThat(stays(admission)).isEqualTo(1);
        assertThat(gpNotifications(admission.nhs)).isZero();
    }

    @Test
    void aLateAcknowledgementIsRetriedAndTheRedeliveryAcknowledgedOnce() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        Admission admission = admit(message -> {
            // The first copy is kept too long; the redelivery of the same MSH-10 is acknowledged at once.
            if (seen.add(controlId(message))) {
                awaitClosing();
            }
            return ack(message, AcknowledgmentCode.AA);
        });

        await().atMost(Duration.ofSeconds(60)).until(() -> stages(admission.run).contains("DELIVERED"));
        assertStages(admission.run, "FAILED", "DELIVERED");
        JsonNode toSut = exchangesToSut(admission.run);
        assertThat(toSut).hasSize(2);
        assertThat(toSut.get(0).get("error").asText()).contains("did not acknowledge");
        assertThat(toSut.get(1).get("response").asText()).contains("MSA|AA|" + admission.controlId);
        assertThat(received(admission)).hasSize(2).allSatisfy(m -> assertThat(m).contains(admission.controlId));
        assertThat(stays(admission)).isEqualTo(1);
        assertThat(gpNotifications(admission.nhs)).isZero();
    }

    @Test
    void anAeIsRetriedThenDeadLettered() throws Exception {
        Admission admission = admit(message -> ack(message, AcknowledgmentCode.AE));

        await().atMost(Duration.ofSeconds(60)).until(() -> stages(admission.run).contains("DEAD_LETTERED"));
        assertStages(admission.run, "FAILED", "FAILED", "FAILED", "DEAD_LETTERED");
        assertThat(exchangesToSut(admission.run)).hasSize(3);
        assertThat(gpNotifications(admission.nhs)).isZero();
    }

    @Test
    void anArIsDeadLetteredAtOnceWithTheSystemsReason() throws Exception {
        Admission admission = admit(message -> ack(message, AcknowledgmentCode.AR));

        await().atMost(Duration.ofSeconds(30)).until(() -> stages(admission.run).contains("DEAD_LETTERED"));
        // One attempt, logged as failed, and no retry.
        assertStages(admission.run, "FAILED", "DEAD_LETTERED");
        assertThat(detail(admission.run, "DEAD_LETTERED")).contains("rejected the message (AR)");
        assertThat(exchangesToSut(admission.run)).hasSize(1);
        assertThat(received(admission)).hasSize(1);
        assertThat(gpNotifications(admission.nhs)).isZero();
    }

    @Test
    void anAdmissionOutsideTheRunStillTellsTheSimulatedPractice() throws Exception {
        Admission bound = admit(message -> ack(message, AcknowledgmentCode.AA));
        String other = "V" + UUID.randomUUID().toString().substring(0, 8);

        // Not of the run that binds the GP system (another MSH-10, another patient): filed as ever.
        String nhs = testbed().registerPatient();
        String ack = new MllpClient(URI.create("mllp://localhost:" + mllpPort))
                .send(adt(nhs, other, "unbound-" + UUID.randomUUID()));

        assertThat(MllpClient.acknowledgementCode(ack)).isEqualTo("AA");
        await().atMost(Duration.ofSeconds(30)).until(() -> gpNotifications(nhs) == 1);
        assertThat(RECEIVED.stream().filter(m -> m.contains(nhs))).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> stages(bound.run).contains("DELIVERED"));
    }

    private record Admission(String run, String nhs, String visit, String controlId) {}

    /** Registers a run binding the GP system, sets its answer, and sends an admission of the run over MLLP. */
    private Admission admit(Function<Message, Message> answer) throws Exception {
        String nhs = testbed().registerPatient();
        String run = "sut-adt-" + UUID.randomUUID();
        ObjectNode switches = JSON.createObjectNode();
        switches.putArray("disabledFlows");
        switches.putArray("rules");
        switches.putArray("nhsNumbers").add(nhs);
        switches.putArray("systemsUnderTest")
                .addObject()
                .put("system", "gp-system")
                .put("flow", "adt-notification")
                .put("organisation", "SYNG09")
                .put("direction", "RECEIVES")
                .put("transport", "mllp")
                .put("endpoint", "127.0.0.1:" + gpPort);
        admin("PUT", "/testbed/runs/" + run, switches, 200);
        String controlId = run + "-admit";
        ANSWERS.put(run, answer);
        String visit = "V" + UUID.randomUUID().toString().substring(0, 8);
        String ack = new MllpClient(URI.create("mllp://localhost:" + mllpPort)).send(adt(nhs, visit, controlId));
        assertThat(MllpClient.acknowledgementCode(ack)).isEqualTo("AA");
        return new Admission(run, nhs, visit, controlId);
    }

    private static String adt(String nhs, String visit, String controlId) throws IOException {
        return new ClassPathResource("hl7v2/samples/adt-a01.hl7")
                .getContentAsString(StandardCharsets.UTF_8)
                .replace("9990000018", nhs)
                .replace("V1001", visit)
                .replace("MSG-A01-1", controlId);
    }

    private static Message ack(Message message, AcknowledgmentCode code) {
        try {
            return code == AcknowledgmentCode.AA
                    ? message.generateACK()
                    : message.generateACK(code, new HL7Exception("GP system says " + code));
        } catch (HL7Exception | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String controlId(Message message) {
        try {
            return new Terser(message).get("MSH-10");
        } catch (HL7Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitClosing() {
        try {
            CLOSING.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> received(Admission admission) {
        return RECEIVED.stream().filter(m -> m.contains(admission.controlId)).toList();
    }

    private int stays(Admission admission) {
        return testbed()
                .count("Encounter?identifier=https://fhir.ldr-testbed.example/Id/visit-number%7CSYNAC-"
                        + admission.visit);
    }

    private int gpNotifications(String nhs) {
        return testbed()
                .count("Communication?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                        + "&recipient=Organization/SYNG09");
    }

    private JsonNode exchangesToSut(String run) throws Exception {
        List<JsonNode> toSut = new ArrayList<>();
        admin("GET", "/testbed/runs/" + run + "/exchanges", null, 200).forEach(e -> {
            if ("to-sut".equals(e.get("direction").asText())) {
                toSut.add(e);
            }
        });
        return JSON.valueToTree(toSut);
    }

    private String detail(String run, String stage) throws Exception {
        return admin("GET", "/testbed/messages?journey=" + run + "&stage=" + stage, null, 200)
                .get(0)
                .get("detail")
                .asText();
    }

    /**
     * RECEIVED and TRANSFORMED, in either order (the listener logs its receipt once the message is queued, and the
     * route may be quicker), then the delivery's stages in order.
     */
    private void assertStages(String run, String... delivery) throws Exception {
        List<String> stages = stages(run);
        assertThat(stages).hasSize(2 + delivery.length);
        assertThat(stages.subList(0, 2)).containsExactlyInAnyOrder("RECEIVED", "TRANSFORMED");
        assertThat(stages.subList(2, stages.size())).containsExactly(delivery);
    }

    private List<String> stages(String run) throws Exception {
        List<String> stages = new ArrayList<>();
        admin("GET", "/testbed/messages?journey=" + run, null, 200)
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
