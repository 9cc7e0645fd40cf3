package org.ldrtestbed.fhirserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ldrtestbed.fhirserver.access.CareRelationships;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.audit.AuditRecord;
import org.ldrtestbed.identity.audit.AuditTrail;
import org.ldrtestbed.identity.schema.TestbedSchema;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.ldrtestbed.routes.messagelog.JdbcMessageLog;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.outbox.FlowOutbox;
import org.ldrtestbed.routes.sut.JdbcSutExchanges;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The testbed's own tables come from every module's migrations, run as the server runs them, on H2 (the server's
 * default, a file like {@code ./testbed-data}) and PostgreSQL alike: a fresh store gets the tables the classes used to
 * make themselves, column for column; a store those classes made before migrations is taken as it is, its rows kept
 * and still in use.
 */
class SchemaMigrationIT {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T09:00:00Z"), ZoneOffset.UTC);
    /** The tables the classes made themselves before migrations. */
    private static final Set<String> MADE_BEFORE_MIGRATIONS =
            Set.of("audit_trail", "audit_anchor", "ldr_message_log", "ldr_flow_outbox", "care_relationship");
    /** Every table of the testbed's own: those, and the ones only migrations ever made. */
    private static final Set<String> OWN_TABLES = union(
            MADE_BEFORE_MIGRATIONS,
            Set.of("ldr_sut_exchange", "ldr_mesh_message", "ldr_conformance_session", "ldr_prompt"));

    @TempDir
    Path folder;

    enum Database {
        H2,
        POSTGRESQL
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aFreshStoreGetsTheTablesTheClassesMadeAndASecondRunChangesNothing(Database database) throws Exception {
        try (Store before = Store.fresh(database, folder.resolve("before"));
                Store fresh = Store.fresh(database, folder.resolve("fresh"))) {
            before.run("schema/before-migrations.sql");

            MigrateResult first = migrate(fresh);
            MigrateResult second = migrate(fresh);

            assertThat(first.success).isTrue();
            assertThat(first.migrationsExecuted).isEqualTo(resolved(fresh));
            assertThat(history(fresh)).noneMatch(SchemaMigrationIT::isBaseline);
            assertThat(second.migrationsExecuted).isZero();
            assertThat(shape(fresh, MADE_BEFORE_MIGRATIONS)).isEqualTo(shape(before, MADE_BEFORE_MIGRATIONS));
            assertThat(shape(fresh, OWN_TABLES)).containsKey("ldr_sut_exchange");
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aStoreFromBeforeMigrationsIsBaselinedAndItsRowsKeepWorking(Database database) throws Exception {
        try (Store old = Store.fresh(database, folder.resolve("old"));
                Store reference = Store.fresh(database, folder.resolve("reference"))) {
            old.run("schema/before-migrations.sql");
            Rows written = Rows.write(old.dataSource());
            migrate(reference);

            // Without the baseline Flyway refuses a store that has tables but no history of them.
            assertThatThrownBy(() -> withoutBaseline(old).migrate())
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("non-empty schema");
            MigrateResult result = migrate(old);

            assertThat(result.success).isTrue();
            assertThat(history(old)).filteredOn(SchemaMigrationIT::isBaseline).hasSize(1);
            assertThat(result.migrationsExecuted).isEqualTo(resolved(old));
            assertThat(shape(old, OWN_TABLES)).isEqualTo(shape(reference, OWN_TABLES));
            written.stillThereIn(old.dataSource());
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void aStoreFromBeforeTheOutboxGetsItAndTheAddedColumns(Database database) throws Exception {
        try (Store older = Store.fresh(database, folder.resolve("older"));
                Store reference = Store.fresh(database, folder.resolve("reference"))) {
            older.run("schema/before-the-outbox.sql");
            JdbcTemplate jdbc = new JdbcTemplate(older.dataSource());
            jdbc.update("INSERT INTO care_relationship (patient_id, organisation) VALUES ('7', 'SYNRTH')");
            migrate(reference);

            migrate(older);

            assertThat(shape(older, OWN_TABLES)).isEqualTo(shape(reference, OWN_TABLES));
            CareRelationships relationships = careRelationships(older.dataSource());
            assertThat(relationships.relationship("7", "SYNRTH"))
                    .contains(new CareRelationships.CareRelationship("7", "SYNRTH", null, null, null));
            assertThat(new FlowOutbox(older.dataSource(), CLOCK).pendingCount()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Database.class)
    void theExchangeLogKeepsWholeMessagesAndListsEachRunInOrder(Database database) throws Exception {
        try (Store store = Store.fresh(database, folder.resolve("exchanges"))) {
            migrate(store);
            JdbcSutExchanges exchanges = new JdbcSutExchanges(store.dataSource());
            // Bigger than any VARCHAR the other tables use: a document Bundle with its attachments.
            String document = "{\"resourceType\":\"Bundle\",\"x\":\"" + "a".repeat(300_000) + "\"}";

            SutExchange first = exchanges.record(exchange("run-a", document, 201, null));
            exchanges.record(exchange("run-b", "{}", 201, null));
            SutExchange failed = exchanges.record(exchange("run-a", document, null, "did not answer within PT5S"));

            assertThat(failed.sequence()).isGreaterThan(first.sequence());
            List<SutExchange> runA = exchanges.ofRun("run-a", 0);
            assertThat(runA).containsExactly(first, failed);
            assertThat(runA.getFirst().request()).isEqualTo(document);
            assertThat(runA.getFirst().at()).isEqualTo(CLOCK.instant());
            assertThat(exchanges.ofRun("run-a", first.sequence())).containsExactly(failed);
            assertThat(exchanges.awaitExchanges("run-a", failed.sequence(), java.time.Duration.ZERO))
                    .isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void theExchangeLogHasTheSameColumnsOnH2AndPostgresql() throws Exception {
        try (Store h2 = Store.fresh(Database.H2, folder.resolve("h2"));
                Store postgres = Store.fresh(Database.POSTGRESQL, folder.resolve("postgres"))) {
            migrate(h2);
            migrate(postgres);

            // Type names differ (CHARACTER LARGE OBJECT and text for TEXT): names, nullability and identity must not.
            assertThat(columns(postgres, "ldr_sut_exchange"))
                    .isEqualTo(columns(h2, "ldr_sut_exchange"))
                    .contains("seq NO YES", "request YES NO", "direction NO NO", "exchanged_at NO NO");
        }
    }

    private static SutExchange exchange(String run, String request, Integer status, String error) {
        return new SutExchange(
                0,
                run,
                "gp-system",
                "discharge-summary",
                "msg-1",
                SutExchange.TO_SUT,
                "fhir-rest",
                "http://localhost/fhir/Bundle",
                "9990000077",
                request,
                status,
                status == null ? null : "{\"resourceType\":\"Bundle\"}",
                status == null ? null : "http://localhost/fhir/Bundle/1",
                error,
                CLOCK.instant());
    }

    private static List<String> columns(Store store, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Connection connection = store.dataSource().getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            try (ResultSet rs = meta.getColumns(null, connection.getSchema(), name, "%")) {
                while (rs.next()) {
                    columns.add(String.join(
                            " ",
                            rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                            rs.getString("IS_NULLABLE"),
                            rs.getString("IS_AUTOINCREMENT")));
                }
            }
        }
        columns.sort(null);
        return columns;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Rows the classes wrote to a store before migrations, and what must still be true of them after. */
    private record Rows(String messageId) {

        static Rows write(DataSource dataSource) {
            AuditTrail trail = new AuditTrail(dataSource);
            trail.append(auditRecord("Patient/7"));
            trail.append(auditRecord("Patient/8"));
            String messageId = "msg-before-migrations";
            Map<String, Object> headers = Map.of(
                    FlowHeaders.MESSAGE_ID, messageId,
                    FlowHeaders.FLOW, "discharge-summary",
                    FlowHeaders.NHS_NUMBER, "9990000077");
            new JdbcMessageLog(dataSource, CLOCK).record(Stage.RECEIVED, headers, "recorded for discharge-summary");
            new FlowOutbox(dataSource, CLOCK).add("discharge-summary", "discharge-summary", "{}", headers);
            new JdbcTemplate(dataSource)
                    .update("INSERT INTO care_relationship (patient_id, organisation, kind, via, event)"
                            + " VALUES ('7', 'SYNRTH', 'recorded', 'Encounter.serviceProvider', 'Encounter/3')");
            return new Rows(messageId);
        }

        void stillThereIn(DataSource dataSource) {
            AuditTrail trail = new AuditTrail(dataSource);
            trail.append(auditRecord("Patient/9"));
            assertThat(trail.verify().intact()).isTrue();
            assertThat(trail.verify().checked()).isEqualTo(3);
            assertThat(new JdbcMessageLog(dataSource, CLOCK)
                            .search(new MessageQuery(null, null, null, messageId, null, 10)))
                    .extracting(MessageLogEntry::stage)
                    .containsExactly(Stage.RECEIVED);
            assertThat(new FlowOutbox(dataSource, CLOCK).pending(10))
                    .extracting(FlowOutbox.Pending::messageId)
                    .containsExactly(messageId);
            assertThat(careRelationships(dataSource).relationship("7", "SYNRTH"))
                    .map(CareRelationships.CareRelationship::event)
                    .contains("Encounter/3");
        }
    }

    private static AuditRecord auditRecord(String patient) {
        return new AuditRecord(
                CLOCK.instant(),
                "R",
                "read",
                "Patient",
                patient,
                0,
                null,
                "gp.ashdown",
                List.of("gp"),
                "SYNG09",
                "900000000101",
                "R8000",
                "ldr-portal",
                "TREAT",
                null,
                patient,
                "9990000077",
                "req-1");
    }

    private static CareRelationships careRelationships(DataSource dataSource) {
        return new CareRelationships(
                FhirContext.forR4Cached(), AccessPolicy.load("classpath:identity/access-policy.yaml"), dataSource);
    }

    private static MigrateResult migrate(Store store) {
        return flyway(store).migrate();
    }

    /** As the server configures it. */
    private static Flyway flyway(Store store) {
        return TestbedSchema.flyway(
                store.dataSource(), TestbedServerConfiguration.ALL_MIGRATIONS.toArray(String[]::new));
    }

    private static Flyway withoutBaseline(Store store) {
        return Flyway.configure()
                .configuration(flyway(store).getConfiguration())
                .baselineOnMigrate(false)
                .load();
    }

    private static int resolved(Store store) {
        return (int) List.of(flyway(store).info().all()).stream()
                .filter(migration -> !isBaseline(migration))
                .count();
    }

    private static List<MigrationInfo> history(Store store) {
        return List.of(flyway(store).info().applied());
    }

    private static boolean isBaseline(MigrationInfo migration) {
        return migration.getType().isBaseline();
    }

    /** The own tables' columns (name, type, size, nullability, identity) and indexes, as the database reports them. */
    private static Map<String, List<String>> shape(Store store, Set<String> ownTables) throws SQLException {
        Map<String, List<String>> shape = new TreeMap<>();
        try (Connection connection = store.dataSource().getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String schema = connection.getSchema();
            try (ResultSet tables = meta.getTables(null, schema, "%", null)) {
                while (tables.next()) {
                    String table = tables.getString("TABLE_NAME");
                    if (ownTables.contains(table.toLowerCase(Locale.ROOT))) {
                        shape.put(table.toLowerCase(Locale.ROOT), describe(meta, schema, table));
                    }
                }
            }
        }
        assertThat(shape).containsOnlyKeys(ownTables);
        return shape;
    }

    private static List<String> describe(DatabaseMetaData meta, String schema, String table) throws SQLException {
        List<String> description = new ArrayList<>();
        try (ResultSet columns = meta.getColumns(null, schema, table, "%")) {
            while (columns.next()) {
                description.add(String.join(
                        " ",
                        columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                        columns.getString("TYPE_NAME"),
                        columns.getString("COLUMN_SIZE"),
                        columns.getString("IS_NULLABLE"),
                        columns.getString("IS_AUTOINCREMENT")));
            }
        }
        // The names the database makes up for primary keys and unique constraints differ between stores: only the
        // names of our own indexes count.
        Map<String, Set<String>> indexes = new TreeMap<>();
        Set<String> unique = new TreeSet<>();
        try (ResultSet index = meta.getIndexInfo(null, schema, table, false, false)) {
            while (index.next()) {
                String name = index.getString("INDEX_NAME");
                if (name != null) {
                    indexes.computeIfAbsent(name, n -> new TreeSet<>())
                            .add(index.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    if (!index.getBoolean("NON_UNIQUE")) {
                        unique.add(name);
                    }
                }
            }
        }
        indexes.forEach((name, columns) -> description.add(
                "index " + (unique.contains(name) ? "unique" : name.toLowerCase(Locale.ROOT)) + " " + columns));
        description.sort(null);
        return description;
    }

    /** A fresh, empty database of either kind. */
    private record Store(DataSource dataSource, AutoCloseable cleanup) implements AutoCloseable {

        static Store fresh(Database database, Path folder) {
            return switch (database) {
                case H2 -> {
                    JdbcDataSource h2 = new JdbcDataSource();
                    h2.setURL("jdbc:h2:file:" + folder.resolve("ldr-testbed") + ";WRITE_DELAY=0");
                    h2.setUser("sa");
                    yield new Store(h2, () -> {});
                }
                case POSTGRESQL -> {
                    TestDatabase postgres = TestDatabase.create();
                    Map<String, Object> properties = postgres.springProperties();
                    DriverManagerDataSource dataSource = new DriverManagerDataSource(
                            (String) properties.get("spring.datasource.url"),
                            (String) properties.get("spring.datasource.username"),
                            "");
                    yield new Store(dataSource, postgres);
                }
            };
        }

        void run(String script) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                ScriptUtils.executeSqlScript(connection, new ClassPathResource(script));
            }
        }

        @Override
        public void close() throws Exception {
            cleanup.close();
        }
    }
}
