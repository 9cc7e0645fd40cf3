package org.ldrtestbed.fhirserver.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL database for integration tests: a fresh database on the server named by
 * {@code TESTBED_TEST_POSTGRES_URL} (e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user from
 * {@code TESTBED_TEST_POSTGRES_USER}, default postgres) when it is set; otherwise a PostgreSQL started from the
 * embedded binaries on Maven Central, so the tests need nothing installed.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String URL_VARIABLE = "TESTBED_TEST_POSTGRES_URL";
    public static final String USER_VARIABLE = "TESTBED_TEST_POSTGRES_USER";

    private static final Pattern JDBC_URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(\\?.*)?$");

    private final String url;
    private final String user;
    private final String description;
    private final AutoCloseable cleanup;

    private TestDatabase(String url, String user, String description, AutoCloseable cleanup) {
        this.url = url;
        this.user = user;
        this.description = description;
        this.cleanup = cleanup;
    }

    public static TestDatabase create() {
        String server = System.getenv(URL_VARIABLE);
        return server == null || server.isBlank() ? embedded() : onServer(server);
    }

    private static TestDatabase onServer(String adminUrl) {
        Matcher m = JDBC_URL.matcher(adminUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    URL_VARIABLE + " must look like jdbc:postgresql://host:port/db, was " + adminUrl);
        }
        String user = System.getenv().getOrDefault(USER_VARIABLE, "postgres");
        String name = "ldr_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(adminUrl, user, "CREATE DATABASE " + name);
        String url = m.group(1) + name + (m.group(3) == null ? "" : m.group(3));
        return new TestDatabase(
                url,
                user,
                "database " + name + " on " + m.group(1),
                () -> execute(adminUrl, user, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    private static TestDatabase embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new TestDatabase(
                    postgres.getJdbcUrl("postgres", "postgres"),
                    "postgres",
                    "embedded PostgreSQL on port " + postgres.getPort(),
                    postgres);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL", e);
        }
    }

    private static void execute(String url, String user, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + url + ": " + e.getMessage(), e);
        }
    }

    /** Spring properties that point the testbed at this database. */
    public Map<String, Object> springProperties() {
        return Map.of(
                "spring.datasource.url", url,
                "spring.datasource.username", user,
                "spring.datasource.password", "",
                "spring.datasource.driver-class-name", "org.postgresql.Driver",
                "testbed.fhir-server.hibernate-dialect", "ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");
    }

    public String describe() {
        return description;
    }

    @Override
    public void close() throws Exception {
        cleanup.close();
    }
}
