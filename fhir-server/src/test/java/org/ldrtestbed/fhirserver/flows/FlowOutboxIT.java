package org.ldrtestbed.fhirserver.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.catalogue.FlowDispatcher;
import org.ldrtestbed.routes.catalogue.FlowDispatcher.CommittedResource;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The flow outbox: a write's flow messages (and their RECEIVED stage) are recorded in the write's own database
 * transaction, through the JPA transaction manager HAPI uses, so they roll back with it and commit with it; committed
 * ones are relayed to their queues and delivered.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class FlowOutboxIT {

    private static final List<String> OBSERVATION_FLOWS =
            List.of("gp-additional-information", "gp-record-sharing", "patient-online-access");

    @LocalServerPort
    int port;

    @Autowired
    FlowDispatcher dispatcher;

    @Autowired
    MessageLog messageLog;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    DataSource dataSource;

    @Test
    void messagesJoinTheJpaTransactionAndRollBackWithIt() throws Exception {
        String journey = "outbox-" + UUID.randomUUID();
        Observation observation =
                observation(NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits()), null);
        observation.setId("Observation/outbox-" + UUID.randomUUID());
        CommittedResource write =
                new CommittedResource(observation, "SYNG09", "primary-care", journey, java.time.Instant.now());

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            assertThat(dispatcher.dispatch(write)).containsExactlyInAnyOrderElementsOf(OBSERVATION_FLOWS);
            // Inside the transaction its own connection sees the rows; any other connection does not yet.
            assertThat(new JdbcTemplate(dataSource).queryForObject(OUTBOX_COUNT, Long.class, "%" + journey + "%"))
                    .isEqualTo(OBSERVATION_FLOWS.size());
            assertThat(countOnAnotherConnection(journey)).isZero();
            status.setRollbackOnly();
        });

        assertThat(countOnAnotherConnection(journey)).isZero();
        assertThat(messages(journey)).isEmpty();
    }

    @Test
    void aTransactionThatFailsAfterItsFirstEntryStartedFlowsLeavesNoMessage() {
        String nhs = testbed().registerPatient();
        String journey = "outbox-" + UUID.randomUUID();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setResource(observation(nhs, patientId(nhs)))
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        // A referral the e-referral flow can never carry (no provider named): the whole transaction is refused.
        ServiceRequest referral = new ServiceRequest()
                .setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER)
                .setSubject(subject(nhs, patientId(nhs)));
        referral.addCategory()
                .addCoding()
                .setSystem("https://fhir.nhs.uk/CodeSystem/message-category-servicerequest")
                .setCode("referral");
        transaction
                .addEntry()
                .setResource(referral)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("ServiceRequest");

        assertThatThrownBy(() -> testbed()
                        .as("gp.ashdown", journey)
                        .transaction()
                        .withBundle(transaction)
                        .execute())
                .isInstanceOf(UnprocessableEntityException.class);

        assertThat(messages(journey)).isEmpty();
        assertThat(countOnAnotherConnection(journey)).isZero();
        assertThat(testbed().count("Observation?subject.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs))
                .isZero();
    }

    @Test
    void aCommittedWritesMessagesAreReceivedWithItThenRelayedAndDelivered() {
        String nhs = testbed().registerPatient();
        String journey = "outbox-" + UUID.randomUUID();

        testbed()
                .as("gp.ashdown", journey)
                .create()
                .resource(observation(nhs, patientId(nhs)))
                .execute();

        // RECEIVED was committed with the write: it is there as soon as the write is acknowledged.
        assertThat(messages(journey))
                .filteredOn(e -> e.stage() == Stage.RECEIVED)
                .extracting(MessageLogEntry::flowCode)
                .containsExactlyInAnyOrderElementsOf(OBSERVATION_FLOWS);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(messages(journey))
                    .filteredOn(e -> e.stage() == Stage.DELIVERED)
                    .extracting(MessageLogEntry::flowCode)
                    .containsExactlyInAnyOrderElementsOf(OBSERVATION_FLOWS);
            assertThat(new JdbcTemplate(dataSource)
                            .queryForObject(OUTBOX_COUNT + " AND sent_at IS NULL", Long.class, "%" + journey + "%"))
                    .isZero();
        });
    }

    private static final String OUTBOX_COUNT = "SELECT COUNT(*) FROM ldr_flow_outbox WHERE headers LIKE ?";

    /** Outside any Spring transaction: a connection of its own, which sees only committed rows. */
    private long countOnAnotherConnection(String journey) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(OUTBOX_COUNT)) {
            count.setString(1, "%" + journey + "%");
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<MessageLogEntry> messages(String journey) {
        return messageLog.search(new MessageQuery(null, null, journey, null, null, 0));
    }

    private static Observation observation(String nhs, String patientId) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("27113001");
        observation.setSubject(subject(nhs, patientId));
        return observation;
    }

    private static Reference subject(String nhs, String patientId) {
        return new Reference(patientId)
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs));
    }

    private String patientId(String nhs) {
        return testbed()
                .search("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                .getEntryFirstRep()
                .getResource()
                .getIdElement()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
