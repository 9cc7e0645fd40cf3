package org.ldrtestbed.fhirserver.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.flows.FlowTriggerInterceptor;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.audit.AuditTrail;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * A journey's simulated time reaches the server with its requests, from the journey client only: what a trusted
 * request causes (its audit event, its flow messages at every stage) is on the journey's clock, while a supplier
 * system sending the same headers stays on the server's clock and moves no run's clock. The server's own clock is
 * five hours off here, so nothing can pass by agreeing with the test's wall clock.
 */
@SpringBootTest(
        classes = FhirServerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "testbed.clock-offset=PT5H")
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class SimulatedTimeIT {

    private static final Instant JOURNEY_TIME = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant SUPPLIERS_CLAIM = Instant.parse("2001-01-01T00:00:00Z");
    private static final Duration OFFSET = Duration.ofHours(5);
    /** Room for the test's own requests and the flows' delivery, far less than any of the clocks' distances. */
    private static final Duration SLACK = Duration.ofMinutes(5);

    private static final List<String> OBSERVATION_FLOWS =
            List.of("gp-additional-information", "gp-record-sharing", "patient-online-access");

    @LocalServerPort
    int port;

    @Autowired
    MessageLog messageLog;

    @Autowired
    AuditTrail trail;

    @Autowired
    RunClock runClock;

    @Autowired
    org.ldrtestbed.routes.catalogue.FlowSwitches switches;

    /** A run the testbed administrator registered, as the engine does: only such a run has a clock. */
    private String registeredRun() {
        String run = "clock-" + UUID.randomUUID();
        switches.register(
                run, new org.ldrtestbed.routes.contract.RunSwitches(java.util.Set.of(), List.of(), java.util.Set.of()));
        return run;
    }

    @Test
    void theJourneyClientsRequestAndEverythingItCausesAreOnTheJourneysClock() {
        TestbedClient testbed = new TestbedClient(port);
        String nhs = testbed.registerPatient();
        String patient = patientId(testbed, nhs);
        String run = registeredRun();

        client(testbed.token("gp.ashdown"), run, JOURNEY_TIME)
                .create()
                .resource(observation(nhs, patient))
                .execute();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(messages(run))
                        .filteredOn(e -> e.stage() == Stage.DELIVERED)
                        .extracting(MessageLogEntry::flowCode)
                        .containsExactlyInAnyOrderElementsOf(OBSERVATION_FLOWS));
        assertThat(messages(run))
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.at())
                        .as(e.stage() + " " + e.flowCode())
                        .isBetween(JOURNEY_TIME, JOURNEY_TIME.plus(SLACK)));
        // Its audit event is on the journey's clock (the registration before it, made without a run, is not).
        assertThat(recorded(patient, "gp.ashdown"))
                .anySatisfy(at -> assertThat(at).isBetween(JOURNEY_TIME, JOURNEY_TIME.plus(SLACK)))
                .anySatisfy(
                        at -> assertThat(at).isAfter(Instant.now().plus(OFFSET).minus(SLACK)));
        assertThat(runClock.now(run)).isBetween(JOURNEY_TIME, JOURNEY_TIME.plus(SLACK));
    }

    @Test
    void aSupplierSystemsSimulatedTimeChangesNothing() {
        TestbedClient testbed = new TestbedClient(port);
        String nhs = testbed.registerPatient();
        String patient = patientId(testbed, nhs);
        String run = registeredRun();
        // The run's own client set its clock first; the supplier then names the same run with another time.
        client(testbed.token("gp.ashdown"), run, JOURNEY_TIME)
                .search()
                .byUrl("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
                .execute();
        String supplierToken = new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"))
                .forClient("gp-clinical-system", "gp-clinical-system-synthetic-secret");

        Instant before = Instant.now().plus(OFFSET);
        client(supplierToken, run, SUPPLIERS_CLAIM)
                .create()
                .resource(observation(nhs, patient))
                .execute();
        Instant after = Instant.now().plus(OFFSET);

        // Its messages are on the server's clock, neither the supplier's claim nor the run's time.
        List<MessageLogEntry> received =
                messages(run).stream().filter(e -> e.stage() == Stage.RECEIVED).toList();
        assertThat(received)
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.at()).isBetween(before.minusSeconds(5), after.plusSeconds(5)));
        // Its audit event too.
        assertThat(recorded(patient, "service-account-gp-clinical-system"))
                .isNotEmpty()
                .allSatisfy(at -> assertThat(at).isBetween(before.minusSeconds(5), after.plusSeconds(5)));
        // And the run's clock is where its own client left it.
        assertThat(runClock.now(run)).isBetween(JOURNEY_TIME, JOURNEY_TIME.plus(SLACK));
    }

    @Test
    void anUnregisteredRunGetsNoClockAndABadValueIsRefused() {
        TestbedClient testbed = new TestbedClient(port);
        String nhs = testbed.registerPatient();
        String unregistered = "clock-unregistered-" + UUID.randomUUID();
        client(testbed.token("gp.ashdown"), unregistered, JOURNEY_TIME)
                .search()
                .byUrl("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
                .execute();
        // No header can add a run to the server's clocks: the run's "now" is the server's.
        assertThat(runClock.now(unregistered))
                .isAfter(Instant.now().plus(OFFSET).minus(SLACK));

        IGenericClient far = TestbedClient.FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        far.registerInterceptor(new BearerTokenAuthInterceptor(testbed.token("gp.ashdown")));
        far.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.SimpleRequestHeaderInterceptor(
                org.ldrtestbed.fhirserver.contract.Headers.SIMULATED_TIME, "+300000000-01-01T00:00:00Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> far.create()
                        .resource(observation(nhs, patientId(testbed, nhs)))
                        .execute())
                .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.InvalidRequestException.class)
                .hasMessageContaining("outside");
    }

    /** A FHIR client with the token, naming the run and the simulated time on every request. */
    private IGenericClient client(String token, String run, Instant simulated) {
        IGenericClient client = TestbedClient.FHIR.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        client.registerInterceptor(new AdditionalRequestHeadersInterceptor(Map.of(
                FlowTriggerInterceptor.JOURNEY_HEADER,
                List.of(run),
                FlowTriggerInterceptor.SIMULATED_TIME_HEADER,
                List.of(simulated.toString()))));
        return client;
    }

    private List<Instant> recorded(String patient, String username) {
        return trail.find(new AuditTrail.Query(List.of(patient), username, null), 0, 50).stream()
                .map(AuditEvent::getRecorded)
                .map(java.util.Date::toInstant)
                .toList();
    }

    private List<MessageLogEntry> messages(String run) {
        return messageLog.search(new MessageQuery(null, null, run, null, null, 0));
    }

    private static Observation observation(String nhs, String patientId) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("27113001");
        observation.setSubject(new Reference(patientId)
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs)));
        return observation;
    }

    private static String patientId(TestbedClient testbed, String nhs) {
        return testbed.search("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                .getEntryFirstRep()
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
    }
}
