package org.ldrtestbed.routes.sut.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.schema.TestbedSchema;
import org.ldrtestbed.routes.RoutesConfiguration;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.contract.SystemUnderTest.Direction;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.sut.JdbcSutExchanges;
import org.ldrtestbed.routes.sut.SutDeliveries;
import org.ldrtestbed.routes.sut.SutTransport.Outgoing;

/**
 * The MESH-like transport and its mailbox over the routes module's own migrations on H2: a message put in the GP
 * system's inbox is kept as an exchange answered 202, waits there until the system acknowledges it, and the
 * acknowledgement is kept as the run's {@code from-sut} exchange, once.
 */
class MeshTransportTest {

    private static final Instant SENT = Instant.parse("2026-03-02T10:15:00Z");
    private static final Instant ACKNOWLEDGED = Instant.parse("2026-03-02T10:15:04Z");
    private static final String DOCUMENT = "{\"resourceType\":\"Bundle\",\"type\":\"document\"}";
    private static final Outgoing MESSAGE =
            new Outgoing("run-1", "discharge-summary", "msg-1", "9990000077", DOCUMENT, "SYNAC");
    private static final SystemUnderTest GP = new SystemUnderTest(
            "gp-system", "discharge-summary", "SYNG09", Direction.RECEIVES, SystemUnderTest.MESH, "SYNG09-MBX", null);

    private final JdbcDataSource dataSource = migrated();
    private final JdbcMeshMailbox store = new JdbcMeshMailbox(dataSource);
    private final JdbcSutExchanges exchanges = new JdbcSutExchanges(dataSource);
    private final Map<String, String> workflows = Map.of("discharge-summary", "TOC_FHIR_IP_DISCH");
    private final MeshTransport transport = new MeshTransport(
            store, exchanges, Clock.fixed(SENT, ZoneOffset.UTC), flow -> Optional.ofNullable(workflows.get(flow)));
    private final MeshMailbox mailbox = new MeshMailbox(store, exchanges, run -> ACKNOWLEDGED);

    @Test
    void aBindingToAnotherOrganisationsMailboxIsRefusedAndItsOwnTaken() {
        transport.check(GP);
        SystemUnderTest intoTheTrusts = new SystemUnderTest(
                GP.system(), GP.flow(), GP.organisation(), GP.direction(), GP.transport(), "SYNAC-MBX", null);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> transport.check(intoTheTrusts))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("receives in mailbox SYNG09-MBX, not SYNAC-MBX");
    }

    @Test
    void aSentMessageWaitsInTheInboxAndIsKeptAsAnExchangeAnswered202() {
        String detail = transport.send(GP, MESSAGE);

        assertThat(mailbox.inbox("SYNG09-MBX")).singleElement().satisfies(id -> {
            assertThat(id).matches("20260302101500000_[0-9A-F]{6}");
            assertThat(detail)
                    .isEqualTo("put in the inbox of SUT gp-system (mesh) mailbox SYNG09-MBX: 202, MESH message " + id);
        });
        String id = mailbox.inbox("SYNG09-MBX").getFirst();
        assertThat(store.find("SYNG09-MBX", id)).hasValueSatisfying(m -> {
            assertThat(m.body()).isEqualTo(DOCUMENT);
            assertThat(m.workflowId()).isEqualTo("TOC_FHIR_IP_DISCH");
            assertThat(m.senderMailbox()).isEqualTo("SYNAC-MBX");
            assertThat(m.contentType()).isEqualTo("application/fhir+json");
            assertThat(m.sentAt()).isEqualTo(SENT);
            assertThat(m.downloadedAt()).isNull();
            assertThat(m.acknowledged()).isFalse();
        });
        assertThat(exchanges.ofRun("run-1", 0)).singleElement().satisfies(e -> {
            assertThat(e.system()).isEqualTo("gp-system");
            assertThat(e.flow()).isEqualTo("discharge-summary");
            assertThat(e.messageId()).isEqualTo("msg-1");
            assertThat(e.direction()).isEqualTo(SutExchange.TO_SUT);
            assertThat(e.transport()).isEqualTo(SystemUnderTest.MESH);
            assertThat(e.endpoint()).isEqualTo("SYNG09-MBX");
            assertThat(e.nhsNumber()).isEqualTo("9990000077");
            assertThat(e.request()).isEqualTo(DOCUMENT);
            assertThat(e.status()).isEqualTo(202);
            assertThat(e.response()).isNull();
            assertThat(e.location()).isEqualTo(id);
            assertThat(e.at()).isEqualTo(SENT);
        });
    }

    @Test
    void anAcknowledgedMessageLeavesTheInboxAndItsAcknowledgementIsKeptOnce() {
        transport.send(GP, MESSAGE);
        String id = mailbox.inbox("SYNG09-MBX").getFirst();

        assertThat(mailbox.download("SYNG09-MBX", id))
                .hasValueSatisfying(m -> assertThat(m.body()).isEqualTo(DOCUMENT));
        // Downloading is not acknowledging: the message stays until the system says it has it.
        assertThat(mailbox.inbox("SYNG09-MBX")).containsExactly(id);
        assertThat(store.find("SYNG09-MBX", id).orElseThrow().downloadedAt()).isEqualTo(ACKNOWLEDGED);

        assertThat(mailbox.acknowledge("SYNG09-MBX", id)).isPresent();
        assertThat(mailbox.acknowledge("SYNG09-MBX", id)).isPresent();

        assertThat(mailbox.inbox("SYNG09-MBX")).isEmpty();
        assertThat(store.find("SYNG09-MBX", id).orElseThrow().acknowledgedAt()).isEqualTo(ACKNOWLEDGED);
        assertThat(exchanges.ofRun("run-1", 0))
                .extracting(SutExchange::direction)
                .containsExactly(SutExchange.TO_SUT, SutExchange.FROM_SUT);
        assertThat(exchanges.ofRun("run-1", 0).getLast()).satisfies(e -> {
            assertThat(e.transport()).isEqualTo(SystemUnderTest.MESH);
            assertThat(e.system()).isEqualTo("gp-system");
            assertThat(e.messageId()).isEqualTo("msg-1");
            assertThat(e.request()).isEqualTo("acknowledge " + id);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.location()).isEqualTo(id);
            assertThat(e.at()).isEqualTo(ACKNOWLEDGED);
        });
    }

    @Test
    void anotherMailboxNeitherListsNorReachesTheMessage() {
        transport.send(GP, MESSAGE);
        String id = mailbox.inbox("SYNG09-MBX").getFirst();

        assertThat(mailbox.inbox("SYNG01-MBX")).isEmpty();
        assertThat(mailbox.download("SYNG01-MBX", id)).isEmpty();
        assertThat(mailbox.acknowledge("SYNG01-MBX", id)).isEmpty();
        assertThat(mailbox.inbox("SYNG09-MBX")).containsExactly(id);
        assertThat(exchanges.ofRun("run-1", 0)).hasSize(1);
    }

    @Test
    void aFlowWithoutAMeshWorkflowCannotGoOverMesh() {
        Outgoing eol = new Outgoing("run-1", "eol-pointer", "msg-2", "9990000077", DOCUMENT);

        assertThatThrownBy(() -> transport.send(GP, eol))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("eol-pointer has no MESH workflow id");
        assertThat(mailbox.inbox("SYNG09-MBX")).isEmpty();
        // So a run binding it over MESH is refused when registered.
        SutDeliveries deliveries = new SutDeliveries(run -> Optional.empty(), List.of(transport));
        RunSwitches eolOverMesh = new RunSwitches(
                Set.of(),
                List.of(),
                Set.of(),
                List.of(new SystemUnderTest(
                        "gp-system", "eol-pointer", "SYNG09", Direction.RECEIVES, "mesh", "SYNG09-MBX", null)));
        assertThatThrownBy(() -> deliveries.check(eolOverMesh, (flow, transport) -> true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("eol-pointer over mesh, but that flow cannot go over mesh");
        deliveries.check(new RunSwitches(Set.of(), List.of(), Set.of(), List.of(GP)), (flow, transport) -> true);
    }

    @Test
    void aMailboxBelongsToTheOrganisationItIsNamedFor() {
        assertThat(MeshMailbox.owns("SYNG09", "SYNG09-MBX")).isTrue();
        assertThat(MeshMailbox.owns("SYNAC", "SYNG09-MBX")).isFalse();
        assertThat(MeshMailbox.owns("SYNG0", "SYNG09-MBX")).isFalse();
        assertThat(MeshMailbox.owns(null, "SYNG09-MBX")).isFalse();
    }

    private static JdbcDataSource migrated() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:mesh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        TestbedSchema.migrate(dataSource, RoutesConfiguration.MIGRATIONS);
        return dataSource;
    }
}
