package org.ldrtestbed.routes.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The transactional outbox of flow messages, a table beside HAPI's (made by the routes module's migrations,
 * {@code db/migration/routes}). A message is added inside the database transaction of the write that starts it: the
 * JdbcTemplate takes its connection through Spring's DataSourceUtils, so it joins the transaction the JPA transaction
 * manager holds on the same DataSource. The write and its messages therefore commit, or vanish, together; the
 * {@link OutboxRelay} puts committed ones on their queues.
 */
public final class FlowOutbox {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> HEADERS = new TypeReference<>() {};

    private static final RowMapper<Pending> ROW = (rs, i) -> new Pending(
            rs.getLong("seq"),
            rs.getString("message_id"),
            rs.getString("queue_name"),
            rs.getString("body"),
            readHeaders(rs.getString("headers")));

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public FlowOutbox(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** A message waiting to be put on its queue. */
    public record Pending(long sequence, String messageId, String queue, String body, Map<String, Object> headers) {}

    /** Adds a message, in the caller's transaction when there is one. */
    public void add(String flowCode, String queue, String body, Map<String, Object> headers) {
        String json;
        try {
            json = JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Flow headers must be plain values: " + headers, e);
        }
        jdbc.update(
                "INSERT INTO ldr_flow_outbox (message_id, flow_code, queue_name, headers, body, recorded_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                headers.get(FlowHeaders.MESSAGE_ID).toString(),
                flowCode,
                queue,
                json,
                body,
                Timestamp.from(clock.instant()));
    }

    /** The oldest messages not yet sent, in the order they were recorded. */
    public List<Pending> pending(int limit) {
        return jdbc.query(
                "SELECT seq, message_id, queue_name, body, headers FROM ldr_flow_outbox WHERE sent_at IS NULL"
                        + " ORDER BY seq LIMIT ?",
                ROW,
                limit);
    }

    public void markSent(long sequence) {
        jdbc.update("UPDATE ldr_flow_outbox SET sent_at = ? WHERE seq = ?", Timestamp.from(clock.instant()), sequence);
    }

    /** How many messages wait to be sent. */
    public long pendingCount() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM ldr_flow_outbox WHERE sent_at IS NULL", Long.class);
        return count == null ? 0 : count;
    }

    private static Map<String, Object> readHeaders(String json) {
        try {
            Map<String, Object> headers = JSON.readValue(json, HEADERS);
            // JSON numbers come back as the smallest type that holds them; the header is epoch milliseconds.
            for (String epochMillis : List.of(FlowHeaders.COMMITTED_AT, FlowHeaders.RUN_CLOCK_AT)) {
                if (headers.get(epochMillis) instanceof Number n) {
                    headers.put(epochMillis, n.longValue());
                }
            }
            return headers;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable outbox headers: " + json, e);
        }
    }
}
