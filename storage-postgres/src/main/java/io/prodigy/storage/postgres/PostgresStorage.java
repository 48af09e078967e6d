package io.prodigy.storage.postgres;

import com.zaxxer.hikari.HikariPoolMXBean;
import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.postgres.PostgresConfig.ClockSource;
import io.prodigy.storage.support.BackendStorage;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.lease.LeaseLockService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL backend: every store in tables of one schema, reached through a HikariCP pool. Atomicity, ordering
 * and fencing are the database's: each call is one statement or one transaction (see each store's notes), with the
 * fence check inside the write's transaction. Acknowledged writes are committed with the server's
 * {@code synchronous_commit} (the health report says which), so they survive a crash of this process and, with the
 * default {@code on}, of the database server.
 */
final class PostgresStorage extends BackendStorage {

    static final String BACKEND = "postgres";

    /**
     * What every PostgreSQL store supports: the fence check runs in the write's transaction with the lock's row
     * share-locked, so it is {@link Capability#ATOMIC_FENCING}. {@code clock: client} adds
     * {@link Capability#CLIENT_CLOCK}.
     */
    static final Set<Capability> BASE_CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.DURABLE,
            Capability.MULTI_PROCESS, Capability.IDEMPOTENT_APPEND, Capability.ATOMIC_FENCING));

    /** What the provider declares: every configuration's capabilities are a subset. */
    static final Set<Capability> PROVIDER_CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.DURABLE,
            Capability.MULTI_PROCESS, Capability.IDEMPOTENT_APPEND, Capability.ATOMIC_FENCING,
            Capability.CLIENT_CLOCK));

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStorage.class);
    /** A probe slower than this makes the report DEGRADED. */
    private static final Duration SLOW_PROBE = Duration.ofSeconds(1);

    private final PgClient client;
    private final boolean ownsClient;
    private final StorageContext context;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Capability> capabilities;
    private final Db db;
    private final PgSessionStorage sessions;
    private final PgEventStorage events;
    private final PgCheckpointStorage checkpoints;
    private final PgDlqStorage dlq;
    private final PgWorkflowStorage workflows;
    private final LeaseLockService locks;

    /**
     * @param ownsClient whether {@link #close()} closes the client too (false for a view over a shared client)
     */
    PostgresStorage(PgClient client, boolean ownsClient, StorageContext context) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.context = context;
        PostgresConfig config = client.config();
        boolean clientClock = config.clock() == ClockSource.CLIENT;
        EnumSet<Capability> caps = EnumSet.copyOf(BASE_CAPABILITIES);
        if (clientClock) {
            caps.add(Capability.CLIENT_CLOCK);
        }
        this.capabilities = Collections.unmodifiableSet(caps);
        this.db = new Db(client.pool(), clientClock ? context.clock() : null, closed::get);
        Tables t = client.tables();
        this.locks = new LeaseLockService(new PgLeaseStore(db, t));
        this.sessions = new PgSessionStorage(db, t);
        this.events = new PgEventStorage(db, t, client.notifications());
        this.checkpoints = new PgCheckpointStorage(db, t);
        this.dlq = new PgDlqStorage(db, t);
        this.workflows = new PgWorkflowStorage(db, t);
        useStores(new StoreSet(sessions, events, checkpoints, dlq, workflows, locks));
    }

    @Override
    public String backendType() {
        return BACKEND;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    /** The store's time: the server's {@code statement_timestamp()} (one round trip), or the client clock. */
    @Override
    public Instant now() {
        return db.now();
    }

    /**
     * Probes with one query that also reads the server's version, its durability settings and the schema's version;
     * adds the pool's figures. DOWN if the probe fails, DEGRADED if it is slow or the schema is not at this build's
     * version.
     */
    @Override
    public HealthReport health() {
        long started = System.nanoTime();
        Instant now = context.clock().instant();
        Map<String, Object> details = new LinkedHashMap<>();
        PostgresConfig config = client.config();
        details.put("endpoint", Endpoints.display(config.jdbcUrl()));
        details.put("schema", config.schema());
        details.put("clock", config.clock().name().toLowerCase(java.util.Locale.ROOT));
        details.put("schema_version_expected", SchemaMigrator.expectedVersion());
        if (closed.get()) {
            return new HealthReport(HealthStatus.DOWN, BACKEND, "PostgreSQL storage is closed.",
                    Duration.ofNanos(System.nanoTime() - started), details, now);
        }
        poolFigures(details);
        details.put("listening", client.notifications().listening());
        try (Connection c = client.pool().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT current_setting('server_version') AS version,"
                        + " current_setting('synchronous_commit') AS sync, current_setting('fsync') AS fsync,"
                        + " (SELECT max(version) FROM " + SchemaMigrator.quote(config.schema()) + "."
                        + SchemaMigrator.HISTORY_TABLE + ") AS schema_version");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            Duration latency = Duration.ofNanos(System.nanoTime() - started);
            String sync = rs.getString("sync");
            boolean durable = !"off".equals(sync) && "on".equals(rs.getString("fsync"));
            int version = rs.getInt("schema_version");
            details.put("server_version", rs.getString("version"));
            details.put("synchronous_commit", sync);
            details.put("fsync", rs.getString("fsync"));
            details.put("acknowledged_writes_durable", durable);
            details.put("schema_version", version);
            details.put("subscriptions", events.activeSubscriptions());
            HealthStatus status = HealthStatus.HEALTHY;
            String message = "PostgreSQL is answering in " + latency.toMillis() + " ms; schema '" + config.schema()
                    + "' at version " + version + (durable ? "; acknowledged writes are durable."
                            : "; acknowledged writes are NOT durable on the server (synchronous_commit=" + sync
                                    + ", fsync=" + rs.getString("fsync") + ").");
            if (version != SchemaMigrator.expectedVersion()) {
                status = HealthStatus.DEGRADED;
                message = "Schema '" + config.schema() + "' is at version " + version + " but this build expects "
                        + SchemaMigrator.expectedVersion() + ".";
            } else if (latency.compareTo(SLOW_PROBE) > 0) {
                status = HealthStatus.DEGRADED;
                message = "PostgreSQL answered slowly (" + latency.toMillis() + " ms).";
            }
            return new HealthReport(status, BACKEND, message, latency, details, now);
        } catch (SQLException | RuntimeException e) {
            String why = e instanceof SQLException sql
                    ? SqlErrors.translate(sql, "the health probe", false).getMessage() : e.toString();
            return new HealthReport(HealthStatus.DOWN, BACKEND, "PostgreSQL is not answering: " + why,
                    Duration.ofNanos(System.nanoTime() - started), details, now);
        }
    }

    private void poolFigures(Map<String, Object> details) {
        HikariPoolMXBean bean = client.poolBean();
        if (bean != null) {
            details.put("pool_active", bean.getActiveConnections());
            details.put("pool_idle", bean.getIdleConnections());
            details.put("pool_waiting", bean.getThreadsAwaitingConnection());
            details.put("pool_total", bean.getTotalConnections());
        }
        details.put("pool_max", client.pool().getMaximumPoolSize());
    }

    /** Every write is committed before it returns: nothing to flush. */
    @Override
    public void flush() {
        db.ensureOpen("flush");
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        events.closeSubscriptions();
        if (ownsClient) {
            client.close();
        }
        LOG.debug("Closed PostgreSQL storage on schema {}", client.config().schema());
    }
}
