package org.ldrtestbed.identity.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.h2.jdbcx.JdbcDataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.IdentityConfiguration;
import org.ldrtestbed.identity.audit.AuditVerification.Kind;
import org.ldrtestbed.identity.audit.AuditVerification.Problem;
import org.ldrtestbed.identity.schema.TestbedSchema;

class AuditTrailTest {

    private JdbcDataSource dataSource;
    private AuditTrail trail;

    @BeforeEach
    void freshDatabase() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        TestbedSchema.migrate(dataSource, IdentityConfiguration.MIGRATIONS);
        trail = new AuditTrail(dataSource);
    }

    @Test
    void anAppendedEventReadsBackForItsPatient() {
        AuditEvent appended = trail.append(AuditRecords.read("Patient/123", "Observation/42"));
        trail.append(AuditRecords.search("code=8867-4"));

        assertThat(appended.getIdElement().getIdPart()).isEqualTo("1");
        List<AuditEvent> forPatient = trail.forPatients(List.of("Patient/123", "Patient/999"), 10);
        assertThat(forPatient).hasSize(1);
        AuditEvent event = forPatient.get(0);
        assertThat(event.getIdElement().getIdPart()).isEqualTo("1");
        assertThat(event.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientRead");
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("TREAT");
        assertThat(event.getEntity())
                .anySatisfy(
                        e -> assertThat(e.getWhat().getIdentifier().getValue()).isEqualTo(AuditRecords.NHS_NUMBER));
        assertThat(trail.recent(10))
                .extracting(e -> e.getIdElement().getIdPart())
                .containsExactly("2", "1");
        assertThat(trail.forPatients(List.of("Patient/999"), 10)).isEmpty();
        assertThat(trail.count()).isEqualTo(2);
    }

    @Test
    void concurrentAppendsMakeOneUnbrokenChain() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                results.add(threads.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        AuditEvent event = trail.append(AuditRecords.read("Patient/123", "Observation/42"));
                        seqs.add(event.getIdElement().getIdPartAsLong());
                    }
                    return seqs;
                }));
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<List<Long>> result : results) {
                seqs.addAll(result.get());
            }
            assertThat(seqs)
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(1, 200).boxed().toList());
        } finally {
            threads.shutdownNow();
        }

        AuditVerification verification = trail.verify();

        assertThat(verification.problems()).isEmpty();
        assertThat(verification.intact()).isTrue();
        assertThat(verification.checked()).isEqualTo(200);
    }

    @Test
    void aChangedEventIsReportedByItsSeq() throws SQLException {
        appendFive();
        sql("UPDATE audit_trail SET event_json = REPLACE(event_json, 'gp.ashdown', 'someone.else') WHERE seq = 3");

        AuditVerification verification = trail.verify();

        assertThat(verification.intact()).isFalse();
        assertThat(verification.checked()).isEqualTo(5);
        assertThat(verification.problems())
                .extracting(Problem::seq, Problem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, Kind.CHANGED));
    }

    @Test
    void aRemovedMiddleEventIsReportedByItsSeq() throws SQLException {
        appendFive();
        sql("DELETE FROM audit_trail WHERE seq = 3");

        AuditVerification verification = trail.verify();

        assertThat(verification.problems())
                .extracting(Problem::seq, Problem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, Kind.REMOVED));
    }

    @Test
    void aRemovedNewestEventIsCaughtByTheAnchor() throws SQLException {
        appendFive();
        sql("DELETE FROM audit_trail WHERE seq = 5");

        AuditVerification verification = trail.verify();

        assertThat(verification.checked()).isEqualTo(4);
        assertThat(verification.problems())
                .extracting(Problem::seq, Problem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(5L, Kind.REMOVED));
    }

    @Test
    void aRenumberedEventBreaksTheChain() throws SQLException {
        appendFive();
        // Remove event 3 and close the gap: the seqs run on, but the hashes no longer do.
        sql("DELETE FROM audit_trail WHERE seq = 3");
        sql("UPDATE audit_trail SET seq = 3 WHERE seq = 4");

        AuditVerification verification = trail.verify();

        assertThat(verification.intact()).isFalse();
        assertThat(verification.problems()).extracting(Problem::kind).contains(Kind.REMOVED);
    }

    @Test
    void aRestartedTrailContinuesTheChain() {
        appendFive();

        AuditTrail restarted = new AuditTrail(dataSource);
        AuditEvent next = restarted.append(AuditRecords.search("code=8867-4"));

        assertThat(next.getIdElement().getIdPart()).isEqualTo("6");
        AuditVerification verification = restarted.verify();
        assertThat(verification.problems()).isEmpty();
        assertThat(verification.checked()).isEqualTo(6);
    }

    private void appendFive() {
        for (int i = 0; i < 5; i++) {
            trail.append(AuditRecords.read("Patient/123", "Observation/" + i));
        }
        // The untampered trail must verify, or the tamper tests prove nothing.
        assertThat(trail.verify().intact()).isTrue();
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement s = connection.createStatement()) {
            assertThat(s.executeUpdate(statement)).isEqualTo(1);
        }
    }
}
