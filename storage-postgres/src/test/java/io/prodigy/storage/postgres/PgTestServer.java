package io.prodigy.storage.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests use, found once per JVM: a Testcontainers container when a Docker engine answers;
 * otherwise {@code PRODIGY_IT_POSTGRES_URL} (with {@code PRODIGY_IT_POSTGRES_USER} and
 * {@code PRODIGY_IT_POSTGRES_PASSWORD}); otherwise the machine's server at {@code 127.0.0.1:5432}, user
 * {@code postgres}, database {@code test}. When it does not answer, tests fail under {@code CI=true} and are skipped
 * (with this message) otherwise.
 */
final class PgTestServer {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private static volatile PgTestServer instance;

    final String url;
    final String user;
    final String password;
    private final String problem;

    private PgTestServer(String url, String user, String password, String problem) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.problem = problem;
    }

    /** The server, or the test is aborted (skipped) or failed as the class comment says. */
    static PgTestServer get() {
        PgTestServer s = instance;
        if (s == null) {
            synchronized (PgTestServer.class) {
                if (instance == null) {
                    instance = find();
                }
                s = instance;
            }
        }
        if (s.problem != null) {
            String message = "PostgreSQL for the integration tests is not reachable: " + s.problem
                    + ". Start it (127.0.0.1:5432, user postgres, database test), set PRODIGY_IT_POSTGRES_URL,"
                    + " or run a Docker engine.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            Assumptions.abort(message);
        }
        return s;
    }

    private static PgTestServer find() {
        String envUrl = System.getenv("PRODIGY_IT_POSTGRES_URL");
        if (envUrl == null && dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new PgTestServer(container.getJdbcUrl(), container.getUsername(), container.getPassword(), null);
        }
        String url = envUrl != null ? envUrl : DEFAULT_URL;
        String user = System.getenv().getOrDefault("PRODIGY_IT_POSTGRES_USER", "postgres");
        String password = System.getenv().getOrDefault("PRODIGY_IT_POSTGRES_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return new PgTestServer(url, user, password, null);
        } catch (SQLException e) {
            return new PgTestServer(url, user, password, e.getMessage());
        }
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false; // asking Testcontainers would only log a page of errors
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** {@code backend_config} for a store in {@code schema}. */
    Map<String, Object> backendConfig(String schema) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", url);
        config.put("username", user);
        if (!password.isEmpty()) {
            config.put("password", password);
        }
        config.put("schema", schema);
        return config;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Drops {@code schema} and everything in it. */
    void dropSchema(String schema) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SchemaMigrator.quote(schema) + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop test schema " + schema, e);
        }
    }
}
