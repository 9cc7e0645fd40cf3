package org.ldrtestbed.fhirserver.sut;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.ldrtestbed.fhirserver.contract.Prompt;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What each journey run is waiting for its systems under test to do, kept in table {@code ldr_prompt} (this module's
 * migrations) until the run ends, so a server restarted during a run still shows them: the engine puts a prompt when
 * a step starts waiting and removes it when the step has its answer or gives up.
 */
public final class Prompts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FACTS = new TypeReference<>() {};
    private static final Comparator<Prompt> BY_TIME = Comparator.comparing(
                    Prompt::at, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Prompt::step);
    private static final String COLUMNS =
            "run_id, step, system_name, organisation, flow, prompt_text, facts, example, step_at, expires";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    /** @param clock the server's wall clock, which a prompt's {@code expires} is on */
    public Prompts(DataSource dataSource, TransactionTemplate transactions, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Puts (or replaces) the prompt of a run's step. */
    public void put(Prompt prompt) {
        String facts;
        try {
            facts = JSON.writeValueAsString(prompt.facts());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the prompt's facts cannot be kept: " + e.getOriginalMessage(), e);
        }
        // Replaced as one change: a reader never finds the step without its prompt.
        transactions.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM ldr_prompt WHERE run_id = ? AND step = ?", prompt.run(), prompt.step());
            jdbc.update(
                    "INSERT INTO ldr_prompt (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    prompt.run(),
                    prompt.step(),
                    prompt.system(),
                    prompt.organisation(),
                    prompt.flow(),
                    prompt.text(),
                    facts,
                    prompt.example(),
                    timestamp(prompt.at()),
                    timestamp(prompt.expires()));
        });
    }

    /** Removes a step's prompt; true when there was one. */
    public boolean remove(String run, String step) {
        return jdbc.update("DELETE FROM ldr_prompt WHERE run_id = ? AND step = ?", run, step) > 0;
    }

    /** A run's prompts, earliest step first. */
    public List<Prompt> ofRun(String run) {
        return sorted(jdbc.query("SELECT " + COLUMNS + " FROM ldr_prompt WHERE run_id = ?", Prompts::prompt, run));
    }

    /** The prompts addressed to a system under test that have not expired, over every run, earliest first. */
    public List<Prompt> openFor(String system) {
        Instant now = clock.instant();
        return sorted(
                jdbc
                        .query("SELECT " + COLUMNS + " FROM ldr_prompt WHERE system_name = ?", Prompts::prompt, system)
                        .stream()
                        .filter(p -> p.expires() == null || p.expires().isAfter(now))
                        .toList());
    }

    /** Forgets a run's prompts, once the run has ended. */
    public void endRun(String run) {
        jdbc.update("DELETE FROM ldr_prompt WHERE run_id = ?", run);
    }

    private static List<Prompt> sorted(List<Prompt> prompts) {
        return prompts.stream().sorted(BY_TIME).toList();
    }

    private static Prompt prompt(ResultSet row, int i) throws SQLException {
        Map<String, String> facts;
        try {
            facts = JSON.readValue(row.getString("facts"), FACTS);
        } catch (JsonProcessingException e) {
            throw new SQLException("ldr_prompt.facts of run " + row.getString("run_id") + " is not a JSON object", e);
        }
        return new Prompt(
                row.getString("run_id"),
                row.getString("step"),
                row.getString("system_name"),
                row.getString("organisation"),
                row.getString("flow"),
                row.getString("prompt_text"),
                facts,
                row.getString("example"),
                instant(row.getTimestamp("step_at")),
                instant(row.getTimestamp("expires")));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
