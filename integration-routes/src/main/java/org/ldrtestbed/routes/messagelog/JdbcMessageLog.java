package org.ldrtestbed.routes.messagelog;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.ldrtestbed.routes.clock.RunClock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The message log in the testbed's own database, a table beside HAPI's (made by the routes module's migrations,
 * {@code db/migration/routes}). Written outside the message's transaction so that failures are logged too.
 */
public final class JdbcMessageLog implements MessageLog {

    private static final RowMapper<MessageLogEntry> ROW = (rs, i) -> new MessageLogEntry(
            rs.getLong("seq"),
            rs.getString("message_id"),
            rs.getString("flow_code"),
            Stage.valueOf(rs.getString("stage")),
            rs.getString("nhs_number"),
            rs.getString("journey_id"),
            rs.getString("source_org"),
            rs.getString("replay_of"),
            rs.getString("detail"),
            rs.getTimestamp("logged_at").toInstant(),
            rs.getString("timeliness_from"));

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcMessageLog(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    @Override
    public void record(Stage stage, Map<String, Object> headers, String detail) {
        jdbc.update(
                "INSERT INTO ldr_message_log (message_id, flow_code, stage, nhs_number, journey_id, source_org,"
                        + " replay_of, detail, logged_at, timeliness_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                text(headers.get(FlowHeaders.MESSAGE_ID)),
                text(headers.get(FlowHeaders.FLOW)),
                stage.name(),
                text(headers.get(FlowHeaders.NHS_NUMBER)),
                text(headers.get(FlowHeaders.JOURNEY)),
                text(headers.get(FlowHeaders.SOURCE_ORGANISATION)),
                text(headers.get(FlowHeaders.REPLAY_OF)),
                detail == null ? null : detail.length() > 2000 ? detail.substring(0, 1999) + "…" : detail,
                // A run's messages are logged on the run's clock, so its timeliness needs no other clock.
                java.sql.Timestamp.from(RunClock.now(headers, clock)),
                text(headers.get(FlowHeaders.TIMELINESS_FROM)));
    }

    @Override
    public List<MessageLogEntry> search(MessageQuery query) {
        StringBuilder sql = new StringBuilder("SELECT * FROM ldr_message_log WHERE 1=1");
        List<Object> args = new java.util.ArrayList<>();
        condition(sql, args, "nhs_number", query.nhsNumber());
        condition(sql, args, "flow_code", query.flowCode());
        condition(sql, args, "journey_id", query.journeyId());
        condition(sql, args, "message_id", query.messageId());
        condition(
                sql, args, "stage", query.stage() == null ? null : query.stage().name());
        if (query.afterSequence() > 0) {
            sql.append(" AND seq > ?");
            args.add(query.afterSequence());
        }
        sql.append(" ORDER BY seq LIMIT ").append(query.limit());
        return jdbc.query(sql.toString(), ROW, args.toArray());
    }

    private static void condition(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null && !value.isBlank()) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    private static String text(Object value) {
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }
}
