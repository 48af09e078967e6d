package io.prodigy.storage.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.postgresql.PGProperty;

/**
 * What one process holds to talk to one schema: the HikariCP pool, the {@code LISTEN} connection of
 * {@link Notifications}, and the schema version found (or brought about) at open. A storage normally owns its client
 * and closes it with itself; tests share one client between many storages of a class.
 *
 * <p>Timeouts, all from the {@code storage.timeout} setting: waiting for a pooled connection, connecting, and the
 * server-side {@code statement_timeout} (a statement past it is cancelled and rolled back, so its outcome is known).
 * The socket timeout is longer, a last resort against a server that stopped answering altogether.
 */
final class PgClient implements AutoCloseable {

    private static final Duration SOCKET_MARGIN = Duration.ofSeconds(10);

    private final PostgresConfig config;
    private final HikariDataSource pool;
    private final Notifications notifications;
    private final int schemaVersion;
    private final Tables tables;

    private PgClient(PostgresConfig config, HikariDataSource pool, Notifications notifications, int schemaVersion) {
        this.config = config;
        this.pool = pool;
        this.notifications = notifications;
        this.schemaVersion = schemaVersion;
        this.tables = Tables.in(config.schema());
    }

    /**
     * Opens the pool, applies or checks the schema ({@code migrations}) and starts the listener.
     *
     * @throws StorageException for a refused login, a missing database, a schema at the wrong version, or a server
     *                          that does not answer; nothing is left open
     */
    static PgClient open(PostgresConfig config, int poolSize, Duration timeout) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari(config, poolSize, timeout));
        } catch (HikariPool.PoolInitializationException e) {
            throw opening(config, e.getCause() instanceof SQLException sql ? sql : new SQLException(e));
        }
        Notifications notifications = null;
        try {
            int version;
            try (Connection c = pool.getConnection()) {
                version = SchemaMigrator.migrate(c, config.schema(), config.migrations());
            } catch (SQLException e) {
                throw opening(config, e);
            }
            notifications = new Notifications(config.schema(),
                    config.notifications() ? () -> connect(config, timeout) : null);
            return new PgClient(config, pool, notifications, version);
        } catch (RuntimeException e) {
            if (notifications != null) {
                notifications.close();
            }
            pool.close();
            throw e;
        }
    }

    private static StorageException opening(PostgresConfig config, SQLException e) {
        StorageException translated = SqlErrors.translate(e, "opening " + Endpoints.display(config.jdbcUrl())
                + " as user '" + config.username() + "'", false);
        return translated instanceof StorageUnavailableException
                ? new StorageUnavailableException("Cannot reach PostgreSQL at " + Endpoints.display(config.jdbcUrl())
                        + ": " + e.getMessage() + ". Check that the server runs and storage.backend_config"
                        + " (url or host/port) points at it.", e)
                : translated;
    }

    private static HikariConfig hikari(PostgresConfig config, int poolSize, Duration timeout) {
        HikariConfig h = new HikariConfig();
        h.setPoolName("prodigy-postgres-" + config.schema());
        h.setJdbcUrl(config.jdbcUrl());
        h.setUsername(config.username());
        if (config.password() != null) {
            h.setPassword(config.password().reveal());
        }
        h.setMaximumPoolSize(poolSize);
        h.setMinimumIdle(Math.min(poolSize, 2));
        long millis = Math.max(250, timeout.toMillis());
        h.setConnectionTimeout(millis);
        h.setValidationTimeout(Math.max(250, Math.min(millis - 1, 5_000)));
        h.setInitializationFailTimeout(1);
        driverProperties(timeout).forEach((k, v) -> h.addDataSourceProperty((String) k, v));
        return h;
    }

    private static Properties driverProperties(Duration timeout) {
        Properties p = new Properties();
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1_000);
        p.setProperty(PGProperty.CONNECT_TIMEOUT.getName(), Long.toString(seconds));
        p.setProperty(PGProperty.SOCKET_TIMEOUT.getName(),
                Long.toString(seconds + SOCKET_MARGIN.toSeconds()));
        p.setProperty(PGProperty.OPTIONS.getName(), "-c statement_timeout=" + Math.max(1, timeout.toMillis()));
        p.setProperty(PGProperty.APPLICATION_NAME.getName(), "prodigy-storage");
        p.setProperty(PGProperty.TCP_KEEP_ALIVE.getName(), "true");
        return p;
    }

    /** A connection outside the pool (the listener's). */
    private static Connection connect(PostgresConfig config, Duration timeout) throws SQLException {
        Properties p = driverProperties(timeout);
        p.remove(PGProperty.SOCKET_TIMEOUT.getName()); // it waits for notifications, possibly for a long time
        p.setProperty(PGProperty.USER.getName(), config.username());
        if (config.password() != null) {
            p.setProperty(PGProperty.PASSWORD.getName(), config.password().reveal());
        }
        return DriverManager.getConnection(config.jdbcUrl(), p);
    }

    PostgresConfig config() {
        return config;
    }

    HikariDataSource pool() {
        return pool;
    }

    HikariPoolMXBean poolBean() {
        return pool.getHikariPoolMXBean();
    }

    Notifications notifications() {
        return notifications;
    }

    int schemaVersion() {
        return schemaVersion;
    }

    Tables tables() {
        return tables;
    }

    @Override
    public void close() {
        notifications.close();
        pool.close();
    }
}
