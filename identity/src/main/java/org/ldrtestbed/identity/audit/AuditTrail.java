package org.ldrtestbed.identity.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.ldrtestbed.identity.audit.AuditVerification.Kind;
import org.ldrtestbed.identity.audit.AuditVerification.Problem;

/**
 * The audit trail: BALP AuditEvents in the testbed's own database, each chained to the one before by a SHA-256 hash so
 * that {@link #verify()} reports any event changed or removed afterwards.
 *
 * <p>{@code audit_trail} holds one row per event; the hash covers the stored JSON only, the other columns are there
 * for searching. {@code audit_anchor} holds the newest seq and hash, written in the same transaction as each event,
 * so that removing the newest events shows too. Appends are serialised by a lock in this process: the testbed runs
 * one server per database.
 */
public final class AuditTrail {

    /** The prev_hash of the first event. */
    public static final String GENESIS = "0".repeat(64);

    private static final String INSERT = "INSERT INTO audit_trail (seq, occurred, patient_ref, patient_nhs_number,"
            + " username, organisation, purpose, outcome, event_json, prev_hash, hash)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    // Guarding on the previous seq makes a second writer on the same database fail instead of forking the chain.
    private static final String MOVE_ANCHOR =
            "UPDATE audit_anchor SET last_seq = ?, last_hash = ? WHERE id = 1 AND last_seq = ?";

    private final DataSource dataSource;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastSeq;
    private String lastHash;

    /**
     * Continues the chain from the anchor. The tables come from the identity module's migrations
     * ({@code db/migration/identity}, run by {@link org.ldrtestbed.identity.schema.TestbedSchema}).
     */
    public AuditTrail(DataSource dataSource) {
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            // Only a new, empty trail gets a fresh anchor: a missing anchor beside stored events means tampering.
            statement.execute("INSERT INTO audit_anchor (id, last_seq, last_hash) SELECT 1, 0, '" + GENESIS + "'"
                    + " WHERE NOT EXISTS (SELECT 1 FROM audit_anchor)"
                    + " AND NOT EXISTS (SELECT 1 FROM audit_trail)");
            Anchor anchor = readAnchor(connection);
            if (anchor == null) {
                throw new IllegalStateException(
                        "audit_anchor is missing but audit_trail holds events: the trail has been tampered with");
            }
            lastSeq = anchor.seq();
            lastHash = anchor.hash();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not open the audit trail", e);
        }
    }

    /** Stores the event for one access, chained to the last, and returns it with its seq as id. */
    public AuditEvent append(AuditRecord record) {
        AuditEvent event = BalpAuditEvents.toAuditEvent(record);
        lock.lock();
        try {
            long seq = lastSeq + 1;
            event.setId(Long.toString(seq));
            String json = BalpAuditEvents.toJson(event);
            String hash = hash(lastHash, seq, json);
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement insert = connection.prepareStatement(INSERT);
                        PreparedStatement anchor = connection.prepareStatement(MOVE_ANCHOR)) {
                    insert.setLong(1, seq);
                    insert.setObject(2, OffsetDateTime.ofInstant(record.occurred(), ZoneOffset.UTC));
                    insert.setString(3, record.patientReference());
                    insert.setString(4, record.patientNhsNumber());
                    insert.setString(5, record.username());
                    insert.setString(6, record.organisation());
                    insert.setString(7, record.purposeOfUse());
                    insert.setInt(8, record.outcome());
                    insert.setString(9, json);
                    insert.setString(10, lastHash);
                    insert.setString(11, hash);
                    insert.executeUpdate();
                    anchor.setLong(1, seq);
                    anchor.setString(2, hash);
                    anchor.setLong(3, lastSeq);
                    if (anchor.executeUpdate() != 1) {
                        throw new SQLException("audit_anchor is not at seq " + lastSeq + ": another writer?");
                    }
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
            lastSeq = seq;
            lastHash = hash;
            return event;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not append to the audit trail", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Walks the whole trail in seq order, recomputing each hash from the stored JSON, and checks the chain's links and
     * its end against the anchor. Events appended while it runs are checked as far as they link up.
     */
    public AuditVerification verify() {
        List<Problem> problems = new ArrayList<>();
        long checked = 0;
        try (Connection connection = dataSource.getConnection()) {
            // Read first: every event up to the anchor's seq was committed with or before it.
            Anchor anchor = readAnchor(connection);
            connection.setAutoCommit(false); // lets PostgreSQL stream the rows with a cursor
            long expected = 1;
            String previousHash = GENESIS;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT seq, event_json, prev_hash, hash FROM audit_trail ORDER BY seq")) {
                select.setFetchSize(500);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        long seq = rows.getLong(1);
                        String json = rows.getString(2);
                        String prevHash = rows.getString(3);
                        String hash = rows.getString(4);
                        checked++;
                        if (seq > expected) {
                            problems.add(missing(expected, seq - 1, "a gap in the trail"));
                        } else if (!prevHash.equals(previousHash)) {
                            problems.add(new Problem(
                                    seq,
                                    Kind.REMOVED,
                                    "event " + seq + " does not link to event " + (seq - 1)
                                            + ": the event before it was removed or replaced"));
                        }
                        if (!hash(prevHash, seq, json).equals(hash)) {
                            problems.add(
                                    new Problem(seq, Kind.CHANGED, "event " + seq + " no longer matches its hash"));
                        }
                        if (anchor != null && seq == anchor.seq() && !hash.equals(anchor.hash())) {
                            problems.add(new Problem(
                                    seq,
                                    Kind.REMOVED,
                                    "event " + seq + " is not the one the anchor records: it was replaced"));
                        }
                        expected = seq + 1;
                        previousHash = hash;
                    }
                }
            }
            connection.commit();
            long last = expected - 1;
            if (anchor == null) {
                problems.add(new Problem(last, Kind.REMOVED, "the anchor is missing"));
            } else if (anchor.seq() > last) {
                problems.add(missing(last + 1, anchor.seq(), "the anchor records event " + anchor.seq()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the audit trail", e);
        }
        return new AuditVerification(checked, problems);
    }

    /**
     * What a search of the trail asks for: events naming any of these patients (e.g. {@code Patient/123}; null for
     * every event), of one user (login name) and one purpose of use, when given.
     */
    public record Query(Collection<String> patientReferences, String username, String purpose) {

        static Query all() {
            return new Query(null, null, null);
        }

        private boolean matchesNothing() {
            return patientReferences != null && patientReferences.isEmpty();
        }

        private String where(List<Object> args) {
            List<String> conditions = new ArrayList<>();
            if (patientReferences != null) {
                conditions.add("patient_ref IN ("
                        + String.join(", ", Collections.nCopies(patientReferences.size(), "?")) + ")");
                args.addAll(patientReferences);
            }
            if (username != null) {
                conditions.add("username = ?");
                args.add(username);
            }
            if (purpose != null) {
                conditions.add("purpose = ?");
                args.add(purpose);
            }
            return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        }
    }

    /** One page of the events a query matches, newest first. */
    public List<AuditEvent> find(Query query, int offset, int limit) {
        if (query.matchesNothing()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        String where = query.where(args);
        args.add(limit);
        args.add(offset);
        return events("SELECT event_json FROM audit_trail" + where + " ORDER BY seq DESC LIMIT ? OFFSET ?", args);
    }

    /** How many events a query matches. */
    public long count(Query query) {
        if (query.matchesNothing()) {
            return 0;
        }
        List<Object> args = new ArrayList<>();
        String where = query.where(args);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM audit_trail" + where)) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the audit trail", e);
        }
    }

    /** The newest events that name any of the given patients (e.g. {@code Patient/123}), newest first. */
    public List<AuditEvent> forPatients(Collection<String> patientReferences, int limit) {
        return find(new Query(patientReferences, null, null), 0, limit);
    }

    /** The newest events, newest first. */
    public List<AuditEvent> recent(int limit) {
        return find(Query.all(), 0, limit);
    }

    /** How many events the trail holds. */
    public long count() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM audit_trail")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the audit trail", e);
        }
    }

    /** SHA-256, as lower-case hex, of {@code prevHash|seq|json}. */
    static String hash(String prevHash, long seq, String json) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] bytes = digest.digest((prevHash + "|" + seq + "|" + json).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private List<AuditEvent> events(String sql, List<Object> args) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                select.setObject(i + 1, args.get(i));
            }
            List<AuditEvent> events = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(BalpAuditEvents.parse(rows.getString(1)));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the audit trail", e);
        }
    }

    private static Problem missing(long from, long to, String why) {
        String events = from == to ? "event " + from + " is" : "events " + from + " to " + to + " are";
        return new Problem(from, Kind.REMOVED, events + " missing (" + why + ")");
    }

    private static Anchor readAnchor(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT last_seq, last_hash FROM audit_anchor WHERE id = 1")) {
            return rows.next() ? new Anchor(rows.getLong(1), rows.getString(2)) : null;
        }
    }

    private record Anchor(long seq, String hash) {}
}
