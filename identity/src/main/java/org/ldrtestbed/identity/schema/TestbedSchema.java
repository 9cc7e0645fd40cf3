package org.ldrtestbed.identity.schema;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The testbed's own tables beside HAPI's (audit trail, message log, flow outbox, care relationships), made and changed
 * by Flyway migrations that live with the module owning each table, under {@code classpath:db/migration/<module>}.
 * The server runs them once at start-up over every module's location, with a history table of their own, so HAPI's
 * schema (HAPI manages it itself) is never read or touched.
 *
 * <p>Versions are one sequence over every module: a new migration, in whichever module, takes the next number, so
 * the history reads in the order the changes were made. Two branches that take the same number fail at start-up
 * ("more than one migration with version") until one is renumbered.
 *
 * <p>A store made before migrations (each class created its tables itself) has tables but no history: it is
 * baselined at version 0, below every migration, and then every migration runs. That is why the migrations that
 * stand for that old DDL find their tables, columns and indexes already there without failing ({@code IF NOT
 * EXISTS}); later ones need not.
 */
public final class TestbedSchema {

    /** The name of the host's bean that has migrated the store: beans that use the tables depend on it. */
    public static final String BEAN = "testbedSchema";

    /** Flyway's history of the testbed's own migrations (not HAPI's). */
    public static final String HISTORY_TABLE = "ldr_schema_history";

    private TestbedSchema() {}

    /** Flyway over the given modules' locations, e.g. {@code classpath:db/migration/identity}. */
    public static Flyway flyway(DataSource dataSource, String... locations) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(locations)
                .table(HISTORY_TABLE)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("tables made before migrations")
                // A mistyped location or file name would otherwise leave a table out without a word.
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .load();
    }

    /** Brings the store up to date with the given modules' migrations (a no-op when it is). */
    public static MigrateResult migrate(DataSource dataSource, String... locations) {
        return flyway(dataSource, locations).migrate();
    }
}
