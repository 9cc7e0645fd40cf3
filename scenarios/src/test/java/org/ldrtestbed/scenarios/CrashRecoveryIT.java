package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.flows.FlowTriggerInterceptor;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;

/**
 * Nothing acknowledged is lost when the server is killed (SIGKILL) mid-stream: every create answered 201 is there
 * after a restart on the same store, every flow message such a write started ends delivered (or dead-lettered for a
 * reason that is not its source having vanished), and the audit trail still verifies. Run on the default H2 store and
 * on PostgreSQL, several rounds each; each round kills the server while a GP practice writes patients and
 * observations (each observation starts two publishing flows) and restarts it.
 */
class CrashRecoveryIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "synthetic-password";
    private static final String WRITER = "gp.ashdown";
    private static final String WRITER_ORGANISATION = "SYNG09";
    /** The flows a GP practice's observation starts (catalogue: b, the shared care record and online access). */
    private static final Set<String> OBSERVATION_FLOWS =
            Set.of("gp-additional-information", "gp-record-sharing", "patient-online-access");
    /** How a dead-letter reason reads when the message's source entry is not in the record. */
    private static final Pattern SOURCE_GONE =
            Pattern.compile("(?i)404|not ?found|ResourceNotFound|410|gone|deleted|unknown resource");

    private static final int ROUNDS = Integer.getInteger("crash.rounds", 2);
    private static final Duration MESSAGES_SETTLE = Duration.ofSeconds(90);

    private final List<ServedTestbed> running = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (ServedTestbed testbed : running) {
            testbed.kill();
        }
    }

    @Test
    void acknowledgedWritesAndTheirFlowMessagesSurviveKillNineOnTheDefaultH2Store() throws Exception {
        rounds("H2", Map.of());
    }

    @Test
    void acknowledgedWritesAndTheirFlowMessagesSurviveKillNineOnPostgres() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            rounds("PostgreSQL", database.springProperties());
        }
    }

    private void rounds(String store, Map<String, Object> properties) throws Exception {
        Path data = Files.createTempDirectory("ldr-testbed-crash-");
        Path log = Path.of("target", "crash-recovery", store + "-" + data.getFileName() + ".log");
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("Crash recovery on %s: %d rounds, seed %d, server output in %s%n", store, ROUNDS, seed, log);
        List<Round> results = new ArrayList<>();
        ServedTestbed testbed = start(data, properties, log);
        for (int round = 1; round <= ROUNDS; round++) {
            long began = System.nanoTime();
            String journey = "crash-" + UUID.randomUUID();
            Writes writes = new Writes(testbed.port(), journey);
            // Kill once this many writes have been answered, with more in flight.
            int killAfter = 20 + random.nextInt(30);
            Thread writer = Thread.ofPlatform().name("crash-writer").start(writes::run);
            assertThat(writes.acknowledged.await(killAfter, TimeUnit.SECONDS.toMillis(120)))
                    .as("%d writes acknowledged before the kill", killAfter)
                    .isTrue();
            testbed.kill();
            running.remove(testbed);
            writer.join(Duration.ofSeconds(30).toMillis());

            testbed = start(data, properties, log);
            Round result = check(store, round, testbed.port(), journey, writes);
            System.out.println(result.line(Duration.ofNanos(System.nanoTime() - began)));
            results.add(result);
        }
        // The last life is killed too (@AfterEach): a graceful stop would only cost time.

        assertThat(results).allSatisfy(r -> {
            assertThat(r.lost())
                    .as("round %d: acknowledged writes lost", r.round())
                    .isEmpty();
            assertThat(r.missing())
                    .as("round %d: flow messages never delivered nor dead-lettered", r.round())
                    .isEmpty();
            assertThat(r.sourceGone())
                    .as("round %d: messages dead-lettered for a vanished source", r.round())
                    .isEmpty();
            assertThat(r.auditProblems())
                    .as("round %d: audit trail problems", r.round())
                    .isEmpty();
        });
    }

    private ServedTestbed start(Path data, Map<String, Object> properties, Path log) {
        ServedTestbed testbed = ServedTestbed.start(data, properties, log);
        running.add(testbed);
        return testbed;
    }

    private Round check(String store, int round, int port, String journey, Writes writes) throws Exception {
        IGenericClient gp = client(port, WRITER, null);
        List<String> lost = new ArrayList<>();
        for (String id : writes.ids) {
            try {
                gp.read()
                        .resource(id.substring(0, id.indexOf('/')))
                        .withId(id.substring(id.indexOf('/') + 1))
                        .cacheControl(new CacheControlDirective().setNoCache(true))
                        .execute();
            } catch (ResourceNotFoundException | ResourceGoneException e) {
                lost.add(id);
            }
        }

        // Every acknowledged observation's messages, one per flow, reach an end: wait for that (bounded), then count.
        Map<String, String> expected = new LinkedHashMap<>(); // "nhs flow" -> observation
        writes.observations.forEach(
                (observation, nhs) -> OBSERVATION_FLOWS.forEach(f -> expected.put(nhs + " " + f, observation)));
        String digitalLead = token(port, "digitallead.okonjo");
        Map<String, Outcome> outcomes = new HashMap<>();
        try {
            await().atMost(MESSAGES_SETTLE).pollInterval(Duration.ofMillis(500)).until(() -> {
                outcomes.clear();
                outcomes.putAll(outcomes(port, digitalLead, journey));
                return expected.keySet().stream()
                        .allMatch(
                                k -> outcomes.containsKey(k) && outcomes.get(k).ended());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Counted below: what never ended is reported as missing.
        }
        int delivered = 0;
        List<String> deadLettered = new ArrayList<>();
        List<String> sourceGone = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String key : expected.keySet()) {
            Outcome outcome = outcomes.get(key);
            if (outcome == null || !outcome.ended()) {
                missing.add(key + (outcome == null ? " (no message)" : " (stages " + outcome.stages() + ")"));
            } else if (outcome.stages().contains("DELIVERED")) {
                delivered++;
            } else {
                deadLettered.add(key + ": " + outcome.reason());
                if (outcome.reason() != null
                        && SOURCE_GONE.matcher(outcome.reason()).find()) {
                    sourceGone.add(key + ": " + outcome.reason());
                }
            }
        }
        return new Round(
                store,
                round,
                writes.ids.size(),
                writes.ids.size() - lost.size(),
                lost,
                expected.size(),
                delivered,
                deadLettered,
                sourceGone,
                missing,
                auditProblems(port));
    }

    /** Per "NHS-number flow", what became of the message (the last one, if a write somehow started several). */
    private static Map<String, Outcome> outcomes(int port, String token, String journey) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://localhost:" + port + "/testbed/messages?limit=5000&journey=" + journey))
                                .header("Authorization", "Bearer " + token)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Outcome> byMessage = new LinkedHashMap<>();
        for (JsonNode entry : JSON.readTree(response.body())) {
            String key = entry.path("nhsNumber").asText() + " "
                    + entry.path("flowCode").asText();
            Outcome outcome = byMessage.computeIfAbsent(entry.path("messageId").asText(), id -> new Outcome(key));
            outcome.stages().add(entry.path("stage").asText());
            if ("DEAD_LETTERED".equals(entry.path("stage").asText())) {
                outcome.reason = entry.path("detail").asText();
            }
        }
        Map<String, Outcome> byKey = new HashMap<>();
        byMessage.values().forEach(o -> byKey.merge(o.key(), o, (a, b) -> b.ended() || !a.ended() ? b : a));
        return byKey;
    }

    private static List<String> auditProblems(int port) {
        OperationOutcome outcome = client(port, "privacyofficer.reyes", null)
                .fetchResourceFromUrl(OperationOutcome.class, "http://localhost:" + port + "/fhir/AuditEvent/$verify");
        return outcome.getIssue().stream()
                .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                .toList();
    }

    private static String token(int port, String username) {
        return new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"))
                .forUser("testbed-scenarios", username, PASSWORD);
    }

    private static IGenericClient client(int port, String username, String journey) {
        IGenericClient client = FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(token(port, username)));
        if (journey != null) {
            client.registerInterceptor(new AdditionalRequestHeadersInterceptor(
                    Map.of(FlowTriggerInterceptor.JOURNEY_HEADER, List.of(journey))));
        }
        return client;
    }

    /** Sequential creates by a GP practice until the server stops answering: a patient, then an observation. */
    private static final class Writes {

        final List<String> ids = new CopyOnWriteArrayList<>();
        /** Acknowledged observation id -> its patient's NHS number. */
        final Map<String, String> observations = new java.util.concurrent.ConcurrentHashMap<>();

        final Acknowledged acknowledged = new Acknowledged();
        private final IGenericClient gp;

        Writes(int port, String journey) {
            this.gp = client(port, WRITER, journey);
        }

        void run() {
            try {
                while (true) {
                    String nhs = NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits());
                    Patient patient = new Patient();
                    patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
                    patient.addName().setFamily("Crash-Synthetic");
                    patient.addGeneralPractitioner().setReference("Organization/" + WRITER_ORGANISATION);
                    IdType patientId =
                            (IdType) gp.create().resource(patient).execute().getId();
                    acknowledged(patientId.toUnqualifiedVersionless().getValue());

                    Observation observation = new Observation();
                    observation.setStatus(Observation.ObservationStatus.FINAL);
                    observation
                            .getCode()
                            .addCoding()
                            .setSystem("http://snomed.info/sct")
                            .setCode("27113001")
                            .setDisplay("Body weight");
                    observation.setSubject(new Reference(patientId.toUnqualifiedVersionless())
                            .setIdentifier(
                                    new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs)));
                    observation.setValue(new Quantity().setValue(70).setUnit("kg"));
                    IdType observationId =
                            (IdType) gp.create().resource(observation).execute().getId();
                    String id = observationId.toUnqualifiedVersionless().getValue();
                    observations.put(id, nhs);
                    acknowledged(id);
                }
            } catch (RuntimeException e) {
                // The server was killed: the write in flight got no answer, so it was never acknowledged.
            }
        }

        private void acknowledged(String id) {
            ids.add(id);
            acknowledged.countUp();
        }
    }

    /** Lets the test wait for the n-th acknowledged write without polling. */
    private static final class Acknowledged {
        private final Object lock = new Object();
        private int count;

        void countUp() {
            synchronized (lock) {
                count++;
                lock.notifyAll();
            }
        }

        boolean await(int n, long timeoutMillis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            synchronized (lock) {
                while (count < n) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        return false;
                    }
                    lock.wait(left);
                }
                return true;
            }
        }
    }

    /** What became of one flow message: its stages and, when dead-lettered, why. */
    private static final class Outcome {
        private final String key;
        private final Set<String> stages = new java.util.LinkedHashSet<>();
        private String reason;

        Outcome(String key) {
            this.key = key;
        }

        String key() {
            return key;
        }

        Set<String> stages() {
            return stages;
        }

        String reason() {
            return reason;
        }

        boolean ended() {
            return stages.contains("DELIVERED") || stages.contains("DEAD_LETTERED");
        }
    }

    private record Round(
            String store,
            int round,
            int acknowledged,
            int found,
            List<String> lost,
            int messages,
            int delivered,
            List<String> deadLettered,
            List<String> sourceGone,
            List<String> missing,
            List<String> auditProblems) {

        String line(Duration took) {
            return String.format(
                    "%s round %d: acknowledged %d, found %d, lost %d %s; messages %d: delivered %d, dead-lettered %d"
                            + " %s, missing %d %s; audit %s; %.0f s",
                    store,
                    round,
                    acknowledged,
                    found,
                    lost.size(),
                    lost.isEmpty() ? "" : lost,
                    messages,
                    delivered,
                    deadLettered.size(),
                    deadLettered.isEmpty() ? "" : deadLettered,
                    missing.size(),
                    missing.isEmpty() ? "" : missing,
                    auditProblems.isEmpty() ? "intact" : auditProblems,
                    took.toMillis() / 1000.0);
        }
    }
}
