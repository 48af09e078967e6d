package io.prodigy.storage.bench.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.config.StorageConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.postgresql.PGProperty;

/**
 * The PostgreSQL server of the {@code Pg*Bench} benchmarks: {@code PRODIGY_BENCH_POSTGRES_URL} (user
 * {@code PRODIGY_BENCH_POSTGRES_USER}, password {@code PRODIGY_BENCH_POSTGRES_PASSWORD}), by default the machine's
 * {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres}. Each trial works in a fresh schema and drops it
 * afterwards. The backend is opened through {@code ServiceLoader} ({@code postgres}); the baselines talk JDBC
 * directly. Both need {@code storage-postgres} on the class path: build with
 * {@code mvn -Pdistributed -pl storage-bench -am package -DskipTests}.
 */
final class PgBenchServer {

    static final String URL = env("PRODIGY_BENCH_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("PRODIGY_BENCH_POSTGRES_USER", "postgres");
    static final String PASSWORD = env("PRODIGY_BENCH_POSTGRES_PASSWORD", "");

    private PgBenchServer() {}

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    static String newSchema(String prefix) {
        return "bench_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** The backend over {@code schema} (created by its migrator), with a pool of {@code poolSize}. */
    static UnifiedStorage open(String schema, int poolSize) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", URL);
        config.put("username", USER);
        if (!PASSWORD.isEmpty()) {
            config.put("password", PASSWORD);
        }
        config.put("schema", schema);
        StorageConfig storage = new StorageConfig("postgres", poolSize, Duration.ofSeconds(30), true, false, config,
                null, null);
        return Backends.provider("postgres").open(storage, StorageContext.system());
    }

    /**
     * A HikariCP pool for a baseline, set up as the backend sets up its own ({@code PgClient}, {@code storage.timeout}
     * 30 s): {@code size} connections at most, 2 kept idle, the same driver properties (connect and socket timeouts,
     * the server-side {@code statement_timeout}, application name, TCP keep-alive). What a user issuing the same
     * statements, or running ShedLock's JDBC provider, in the same application would have.
     */
    static HikariDataSource pool(String name, int size) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("bench-" + name);
        h.setJdbcUrl(URL);
        h.setUsername(USER);
        if (!PASSWORD.isEmpty()) {
            h.setPassword(PASSWORD);
        }
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(Math.min(size, 2));
        h.setConnectionTimeout(30_000);
        h.setValidationTimeout(5_000);
        h.setInitializationFailTimeout(1);
        h.addDataSourceProperty(PGProperty.CONNECT_TIMEOUT.getName(), "30");
        h.addDataSourceProperty(PGProperty.SOCKET_TIMEOUT.getName(), "40");
        h.addDataSourceProperty(PGProperty.OPTIONS.getName(), "-c statement_timeout=30000");
        h.addDataSourceProperty(PGProperty.APPLICATION_NAME.getName(), "prodigy-bench");
        h.addDataSourceProperty(PGProperty.TCP_KEEP_ALIVE.getName(), "true");
        return new HikariDataSource(h);
    }

    /** A connection of the baseline's own, outside any pool, in auto-commit. */
    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    static void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * With {@code tables = unlogged}, makes the benchmark's own tables in {@code schema} {@code UNLOGGED} (every side's
     * alike): commits then wait for no WAL flush, so a run on a loaded machine makes thousands of calls and the JIT
     * warms up, and the client CPU per call is measured on compiled code. For CPU probes only: it changes what the
     * server does per commit, so elapsed ratios of such runs are not the goals' figures.
     */
    static void tables(String schema, String tables, String... names) throws SQLException {
        if ("logged".equals(tables)) {
            return;
        }
        if (!"unlogged".equals(tables)) {
            throw new IllegalArgumentException("tables must be logged or unlogged, was " + tables);
        }
        for (String name : names) {
            execute("ALTER TABLE \"" + schema + "\"." + name + " SET UNLOGGED");
        }
    }

    static void dropSchema(String schema) {
        try {
            execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop benchmark schema " + schema, e);
        }
    }
}
