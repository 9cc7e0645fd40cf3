package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.Prompt;
import org.ldrtestbed.identity.IdentityConfiguration;
import org.ldrtestbed.identity.schema.TestbedSchema;
import org.ldrtestbed.routes.RoutesConfiguration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A run's prompts, in the testbed's tables (H2 here, the module's own migrations): listed per run, served to their
 * system while open, forgotten with the run, and there still for a server started again on the same database.
 */
class PromptsTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    private final DataSource database = database();
    private final Prompts prompts = on(database);

    /** A fresh in-memory database with every module's migrations, as the server makes its tables. */
    private static DataSource database() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:prompts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        TestbedSchema.flyway(
                        h2,
                        IdentityConfiguration.MIGRATIONS,
                        RoutesConfiguration.MIGRATIONS,
                        "classpath:db/migration/fhirserver")
                .migrate();
        return h2;
    }

    private static Prompts on(DataSource database) {
        return new Prompts(
                database,
                new TransactionTemplate(new DataSourceTransactionManager(database)),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aServerStartedAgainOnTheSameDatabaseShowsThePromptsAsPut() {
        Prompt admit = new Prompt(
                "run-1",
                "admit",
                "acute-pas",
                "SYNAC",
                "adt-notification",
                "Send the admission now",
                Map.of("nhs-number", "9990000077", "event", "A01"),
                "MSH|^~\\&|...",
                Instant.parse("2026-03-02T09:00:00Z"),
                NOW.plusSeconds(600));
        prompts.put(admit);

        Prompts restarted = on(database);

        assertThat(restarted.ofRun("run-1")).containsExactly(admit);
        assertThat(restarted.openFor("acute-pas")).containsExactly(admit);
        restarted.endRun("run-1");
        assertThat(prompts.ofRun("run-1")).isEmpty();
    }

    @Test
    void aPromptWithoutFactsTimesOrExampleIsKeptAsPut() {
        Prompt bare = new Prompt("run-3", "letter", "gp-system", null, null, null, null, null, null, null);

        prompts.put(bare);

        assertThat(on(database).ofRun("run-3")).containsExactly(bare);
        assertThat(on(database).openFor("gp-system")).containsExactly(bare);
    }

    @Test
    void aSystemIsServedOnlyItsOwnOpenPromptsEarliestFirst() {
        prompts.put(prompt("run-1", "discharge", "acute-pas", "2026-03-02T12:00:00Z", NOW.plusSeconds(60)));
        prompts.put(prompt("run-1", "admit", "acute-pas", "2026-03-02T09:00:00Z", NOW.plusSeconds(60)));
        prompts.put(prompt("run-2", "admit", "acute-pas", "2026-03-02T09:30:00Z", NOW));
        prompts.put(prompt("run-2", "letter", "gp-system", "2026-03-02T09:30:00Z", null));

        // run-2's admission expires now: no longer open.
        assertThat(prompts.openFor("acute-pas")).extracting(Prompt::step).containsExactly("admit", "discharge");
        assertThat(prompts.openFor("acute-pas")).extracting(Prompt::run).containsExactly("run-1", "run-1");
        assertThat(prompts.openFor("gp-system")).extracting(Prompt::step).containsExactly("letter");
        assertThat(prompts.ofRun("run-2")).extracting(Prompt::step).containsExactly("admit", "letter");
    }

    @Test
    void aPromptIsReplacedRemovedAndForgottenWithItsRun() {
        prompts.put(prompt("run-1", "admit", "acute-pas", "2026-03-02T09:00:00Z", null));
        prompts.put(prompt("run-1", "admit", "acute-pas", "2026-03-02T09:05:00Z", null));
        prompts.put(prompt("run-1", "discharge", "acute-pas", "2026-03-02T12:00:00Z", null));

        assertThat(prompts.ofRun("run-1"))
                .extracting(Prompt::at)
                .first()
                .isEqualTo(Instant.parse("2026-03-02T09:05:00Z"));
        assertThat(prompts.remove("run-1", "admit")).isTrue();
        assertThat(prompts.remove("run-1", "admit")).isFalse();
        prompts.endRun("run-1");
        assertThat(prompts.ofRun("run-1")).isEmpty();
        assertThat(prompts.openFor("acute-pas")).isEmpty();
    }

    private static Prompt prompt(String run, String step, String system, String at, Instant expires) {
        return new Prompt(
                run,
                step,
                system,
                "SYNAC",
                "adt-notification",
                "Send it now",
                Map.of("nhs-number", "9990000077"),
                null,
                Instant.parse(at),
                expires);
    }
}
