package org.ldrtestbed.routes.sut.mesh;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The messages of the MESH-like mailboxes, in the testbed's own database (table {@code ldr_mesh_message}, made by the
 * routes module's migrations). Acknowledged messages are kept, out of their inbox.
 */
public final class JdbcMeshMailbox {

    private static final RowMapper<MeshMessage> ROW = (rs, i) -> new MeshMessage(
            rs.getString("id"),
            rs.getString("mailbox"),
            rs.getString("sender_mailbox"),
            rs.getString("run_id"),
            rs.getString("system_name"),
            rs.getString("flow_code"),
            rs.getString("message_id"),
            rs.getString("nhs_number"),
            rs.getString("workflow_id"),
            rs.getString("content_type"),
            rs.getString("body"),
            instant(rs.getTimestamp("sent_at")),
            instant(rs.getTimestamp("downloaded_at")),
            instant(rs.getTimestamp("acknowledged_at")));

    private final JdbcTemplate jdbc;

    public JdbcMeshMailbox(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Puts a message in its mailbox's inbox (its download and acknowledgement times are ignored). */
    public void put(MeshMessage message) {
        jdbc.update(
                "INSERT INTO ldr_mesh_message (id, mailbox, sender_mailbox, run_id, system_name, flow_code, message_id,"
                        + " nhs_number, workflow_id, content_type, body, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?)",
                message.id(),
                message.mailbox(),
                message.senderMailbox(),
                message.run(),
                message.system(),
                message.flow(),
                message.messageId(),
                message.nhsNumber(),
                message.workflowId(),
                message.contentType(),
                message.body(),
                Timestamp.from(message.sentAt()));
    }

    /** The ids of the mailbox's messages not yet acknowledged, oldest first. */
    public List<String> inbox(String mailbox) {
        return jdbc.queryForList(
                "SELECT id FROM ldr_mesh_message WHERE mailbox = ? AND acknowledged_at IS NULL ORDER BY sent_at, id",
                String.class,
                mailbox);
    }

    /** A message of the mailbox, acknowledged or not; empty when the mailbox has no message of that id. */
    public Optional<MeshMessage> find(String mailbox, String id) {
        return jdbc.query("SELECT * FROM ldr_mesh_message WHERE mailbox = ? AND id = ?", ROW, mailbox, id).stream()
                .findFirst();
    }

    /** Notes the first download; later ones change nothing. */
    public void downloaded(String id, Instant at) {
        jdbc.update(
                "UPDATE ldr_mesh_message SET downloaded_at = ? WHERE id = ? AND downloaded_at IS NULL",
                Timestamp.from(at),
                id);
    }

    /** Takes the message out of its inbox; true only for the acknowledgement that did (not for a repeat). */
    public boolean acknowledged(String id, Instant at) {
        return jdbc.update(
                        "UPDATE ldr_mesh_message SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
                        Timestamp.from(at),
                        id)
                == 1;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
