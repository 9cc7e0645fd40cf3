package org.ldrtestbed.routes.sut;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.messagelog.RunSignals;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * The exchanges with systems under test, in the testbed's own database (table {@code ldr_sut_exchange}, made by the
 * routes module's migrations), telling those who wait on a run's exchanges when one is appended. Written outside any
 * message's transaction so that failed attempts are kept too.
 */
public final class JdbcSutExchanges implements SutExchanges {

    /** The most a list answers at once; a follower asks again after the last sequence it was given. */
    static final int PAGE = 500;

    private static final int SHORT_TEXT = 2000;

    private static final RowMapper<SutExchange> ROW = (rs, i) -> new SutExchange(
            rs.getLong("seq"),
            rs.getString("run_id"),
            rs.getString("system_name"),
            rs.getString("flow_code"),
            rs.getString("message_id"),
            rs.getString("direction"),
            rs.getString("transport"),
            rs.getString("endpoint"),
            rs.getString("nhs_number"),
            rs.getString("request"),
            rs.getObject("status", Integer.class),
            rs.getString("response"),
            rs.getString("location"),
            rs.getString("error"),
            rs.getTimestamp("exchanged_at").toInstant(),
            rs.getTimestamp("recorded_at") == null
                    ? null
                    : rs.getTimestamp("recorded_at").toInstant());

    private final JdbcTemplate jdbc;
    private final RunSignals signals = new RunSignals();

    public JdbcSutExchanges(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @Override
    public SutExchange record(SutExchange exchange) {
        // As the column keeps it (microseconds), so what is returned equals what is read back.
        Instant recordedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(
                connection -> {
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO ldr_sut_exchange (run_id, system_name, flow_code, message_id, direction,"
                                    + " transport, endpoint, nhs_number, request, status, response, location, error,"
                                    + " exchanged_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                    + " ?)",
                            new String[] {"seq"});
                    insert.setString(1, exchange.run());
                    insert.setString(2, exchange.system());
                    insert.setString(3, exchange.flow());
                    insert.setString(4, exchange.messageId());
                    insert.setString(5, exchange.direction());
                    insert.setString(6, exchange.transport());
                    insert.setString(7, shorten(exchange.endpoint()));
                    insert.setString(8, exchange.nhsNumber());
                    insert.setString(9, exchange.request());
                    insert.setObject(10, exchange.status(), java.sql.Types.INTEGER);
                    insert.setString(11, exchange.response());
                    insert.setString(12, shorten(exchange.location()));
                    insert.setString(13, shorten(exchange.error()));
                    insert.setTimestamp(14, Timestamp.from(exchange.at()));
                    insert.setTimestamp(15, Timestamp.from(recordedAt));
                    return insert;
                },
                key);
        Number sequence = key.getKey();
        signals.appended(exchange.run());
        return new SutExchange(
                sequence == null ? 0 : sequence.longValue(),
                exchange.run(),
                exchange.system(),
                exchange.flow(),
                exchange.messageId(),
                exchange.direction(),
                exchange.transport(),
                exchange.endpoint(),
                exchange.nhsNumber(),
                exchange.request(),
                exchange.status(),
                exchange.response(),
                exchange.location(),
                exchange.error(),
                exchange.at(),
                recordedAt);
    }

    @Override
    public void sending(String run, String messageId) {
        if (wasSent(run, messageId)) {
            return;
        }
        try {
            jdbc.update("INSERT INTO ldr_sut_send (run_id, message_id) VALUES (?, ?)", run, messageId);
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // Noted by a concurrent attempt: once is what counts.
        }
    }

    @Override
    public boolean wasSent(String run, String messageId) {
        Integer found = jdbc.queryForObject(
                "SELECT COUNT(*) FROM ldr_sut_send WHERE run_id = ? AND message_id = ?", Integer.class, run, messageId);
        return found != null && found > 0;
    }

    @Override
    public List<SutExchange> ofRun(String run, long afterSequence) {
        return jdbc.query(
                "SELECT * FROM ldr_sut_exchange WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT " + PAGE,
                ROW,
                run,
                afterSequence);
    }

    /**
     * The run's exchanges after {@code afterSequence}: at once when there are some, else as soon as one is recorded,
     * else none once {@code wait} has passed.
     */
    public List<SutExchange> awaitExchanges(String run, long afterSequence, Duration wait) throws InterruptedException {
        return signals.await(run, wait, () -> ofRun(run, afterSequence));
    }

    private static String shorten(String text) {
        return text == null || text.length() <= SHORT_TEXT ? text : text.substring(0, SHORT_TEXT - 1) + "…";
    }
}
