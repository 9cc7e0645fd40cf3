package org.ldrtestbed.fhirserver.conformance;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The conformance sessions kept: each {@code testbed conform} session's report ({@code conformance.json}) stored as it
 * was put, in table {@code ldr_conformance_session} (this module's migrations), so a supplier's evidence outlives the
 * machine that ran it. What a list shows (systems file, start, verdict) is read from the report when it is put.
 */
public final class ConformanceSessions {

    /** A session id as {@code conform} makes them ({@code conform-<systems>-<yyyyMMdd-HHmmss>-<8 hex>}), or any like it. */
    static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kept session, as a list shows it. */
    public record Summary(
            String session, @JsonProperty("systems-file") String systemsFile, Instant started, String verdict) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ConformanceSessions(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /**
     * Keeps the report under the session id, replacing what was kept under it.
     *
     * <p>One put at a time: two of the same new session at once would both find nothing to replace.
     *
     * @return true when the session is new
     * @throws IllegalArgumentException when the id is not one, or the report is not a conformance report of it
     */
    public synchronized boolean put(String session, String report) {
        Summary summary = summary(session, report);
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp started = Timestamp.from(summary.started());
        int replaced = jdbc.update(
                "UPDATE ldr_conformance_session SET systems_file = ?, started = ?, verdict = ?, report = ?, kept_at = ?"
                        + " WHERE session_id = ?",
                summary.systemsFile(),
                started,
                summary.verdict(),
                report,
                now,
                session);
        if (replaced > 0) {
            return false;
        }
        jdbc.update(
                "INSERT INTO ldr_conformance_session (session_id, systems_file, started, verdict, report, kept_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                session,
                summary.systemsFile(),
                started,
                summary.verdict(),
                report,
                now);
        return true;
    }

    /** Every kept session, the latest started first. */
    public List<Summary> list() {
        return jdbc.query(
                "SELECT session_id, systems_file, started, verdict FROM ldr_conformance_session"
                        + " ORDER BY started DESC, session_id",
                (rs, i) -> new Summary(
                        rs.getString("session_id"),
                        rs.getString("systems_file"),
                        rs.getTimestamp("started").toInstant(),
                        rs.getString("verdict")));
    }

    /** The report as it was put. */
    public Optional<String> report(String session) {
        return jdbc
                .query(
                        "SELECT report FROM ldr_conformance_session WHERE session_id = ?",
                        (rs, i) -> rs.getString("report"),
                        session)
                .stream()
                .findFirst();
    }

    static Summary summary(String session, String report) {
        if (session == null || !SESSION_ID.matcher(session).matches()) {
            throw new IllegalArgumentException(
                    "a session id is letters, digits, '.', '_' and '-' (at most 128), not '" + session + "'");
        }
        JsonNode json;
        try {
            json = JSON.readTree(report);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body is not a conformance report (conformance.json)");
        }
        String named = text(json, "session");
        if (!session.equals(named)) {
            throw new IllegalArgumentException(
                    "the report is of session " + named + ", but was put at session " + session);
        }
        Instant started;
        try {
            started = Instant.parse(text(json, "started"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the report's started is not an ISO-8601 instant: " + e.getMessage());
        }
        if (started.isBefore(EARLIEST) || started.isAfter(Instant.now().plus(java.time.Duration.ofDays(1)))) {
            throw new IllegalArgumentException("the report's started " + started + " is not a time a session ran");
        }
        String systemsFile = text(json, "systems-file");
        if (systemsFile.length() > 256) {
            throw new IllegalArgumentException("the report's systems-file is longer than 256 characters");
        }
        String verdict = text(json, "verdict");
        if (!VERDICTS.contains(verdict)) {
            throw new IllegalArgumentException(
                    "the report's verdict is one of " + VERDICTS + ", not '" + verdict + "'");
        }
        if (verdict.equals("PASS")) {
            // The list shows the verdict: a PASS is kept only where no system says otherwise.
            for (JsonNode system : json.path("systems")) {
                String of = system.path("verdict").asText();
                if (of.equals("FAIL") || of.equals("NOT_TESTED")) {
                    throw new IllegalArgumentException("the report's verdict PASS contradicts system "
                            + system.path("name").asText() + "'s " + of);
                }
            }
        }
        return new Summary(session, systemsFile, started, verdict);
    }

    /** As the report schema ({@code conformance.schema.json}) has them. */
    static final List<String> VERDICTS = List.of("PASS", "FAIL", "BLOCKED", "NOT_TESTED");

    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("the report has no " + field + " (conformance.json names it)");
        }
        return value.asText();
    }
}
