package io.prodigy.storage.bench.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.lock.LockLease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A lock acquired and released by one thread, its own key, with database time:
 * <ul>
 *   <li>{@code postgres}: {@code locks().tryAcquire} + {@code release} of the backend (fencing token, holder id; a
 *       pooled connection per call);</li>
 *   <li>{@code shedlock}: the peer the goal names, ShedLock's JDBC provider ({@code JdbcTemplateLockProvider} with
 *       {@code usingDbTime()}: its PostgreSQL server-time statements, each in a transaction of Spring's, on a
 *       connection checked out per call) over a HikariCP pool set up as the backend's ({@link PgBenchServer#pool}),
 *       on ShedLock's standard {@code shedlock} table in the same schema;</li>
 *   <li>{@code statements}: the stricter figure, ShedLock's statements alone ({@code INSERT … ON CONFLICT (name) DO
 *       UPDATE … WHERE lock_until <= now()} and the {@code UPDATE} that releases), prepared once on one connection the
 *       benchmark holds, in auto-commit, no pool, on a second table of the same shape.</li>
 * </ul>
 * {@code alternating} runs one of each in turn ({@link ThreeSides}): the ratios under the same load. Score: acquire +
 * release pairs per second (of all sides together in {@code alternating}). A failed acquire fails the benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PgLockBench {

    static final String KEY = "bench-lock";
    static final Duration TTL = Duration.ofSeconds(30);
    static final int POOL_SIZE = 4;

    @Param({"postgres", "shedlock", "statements", "alternating"})
    public String impl;

    /** {@code logged}, or {@code unlogged} for a CPU probe ({@link PgBenchServer#tables}). */
    @Param({"logged"})
    public String tables;

    String schema;
    UnifiedStorage storage;
    HikariDataSource shedlockPool;
    LockProvider shedlockProvider;
    LockConfiguration shedlockLock;
    Connection connection;
    PreparedStatement lock;
    PreparedStatement unlock;

    @Setup(Level.Trial)
    public void open() throws Exception {
        schema = PgBenchServer.newSchema("lock");
        storage = PgBenchServer.open(schema, POOL_SIZE);
        if (uses("shedlock")) {
            // ShedLock's PostgreSQL table (its README): timestamps without time zone, in UTC with usingDbTime().
            String t = createTable("shedlock");
            shedlockPool = PgBenchServer.pool("shedlock", POOL_SIZE);
            shedlockProvider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                    .withJdbcTemplate(new JdbcTemplate(shedlockPool)).withTableName(t).usingDbTime().build());
            shedlockLock = new LockConfiguration(Instant.now(), KEY, TTL, Duration.ZERO);
        }
        if (uses("statements")) {
            String t = createTable("shedlock_bare");
            connection = PgBenchServer.connect();
            lock = connection.prepareStatement("INSERT INTO " + t + " (name, lock_until, locked_at, locked_by)"
                    + " VALUES (?, timezone('utc', CURRENT_TIMESTAMP) + cast(? as interval),"
                    + " timezone('utc', CURRENT_TIMESTAMP), ?) ON CONFLICT (name) DO UPDATE SET"
                    + " lock_until = timezone('utc', CURRENT_TIMESTAMP) + cast(? as interval),"
                    + " locked_at = timezone('utc', CURRENT_TIMESTAMP), locked_by = ?"
                    + " WHERE shedlock_bare.lock_until <= timezone('utc', CURRENT_TIMESTAMP)");
            unlock = connection.prepareStatement("UPDATE " + t + " SET lock_until = CASE WHEN (locked_at +"
                    + " cast(? as interval)) > timezone('utc', CURRENT_TIMESTAMP) THEN (locked_at +"
                    + " cast(? as interval)) ELSE timezone('utc', CURRENT_TIMESTAMP) END"
                    + " WHERE name = ? AND locked_by = ?");
        }
        PgBenchServer.tables(schema, tables, "locks");
        if (uses("shedlock")) {
            PgBenchServer.tables(schema, tables, "shedlock");
        }
        if (uses("statements")) {
            PgBenchServer.tables(schema, tables, "shedlock_bare");
        }
    }

    private boolean uses(String side) {
        return side.equals(impl) || "alternating".equals(impl);
    }

    private String createTable(String name) throws Exception {
        String t = "\"" + schema + "\"." + name;
        PgBenchServer.execute("CREATE TABLE " + t + " (name varchar(64) NOT NULL, lock_until timestamp NOT NULL,"
                + " locked_at timestamp NOT NULL, locked_by varchar(255) NOT NULL, PRIMARY KEY (name))");
        return t;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (shedlockPool != null) {
            shedlockPool.close();
        }
        storage.close();
        PgBenchServer.dropSchema(schema);
    }

    @Benchmark
    public long acquireRelease(ThreeSides sides) throws Exception {
        return switch (impl) {
            case "postgres" -> backend();
            case "shedlock" -> shedlock();
            case "statements" -> statements();
            default -> sides.all(this::backend, this::shedlock, this::statements);
        };
    }

    private long backend() {
        LockLease lease = storage.locks().tryAcquire(KEY, TTL)
                .orElseThrow(() -> new IllegalStateException("lock not granted"));
        storage.locks().release(lease);
        return lease.fencingToken();
    }

    /** ShedLock as an application uses it: {@code lock} (an insert the first time, an update after), then unlock. */
    private long shedlock() {
        SimpleLock held = shedlockProvider.lock(shedlockLock)
                .orElseThrow(() -> new IllegalStateException("lock not granted"));
        held.unlock();
        return 1;
    }

    private long statements() throws Exception {
        lock.setString(1, KEY);
        lock.setString(2, "30 seconds");
        lock.setString(3, "bench-host");
        lock.setString(4, "30 seconds");
        lock.setString(5, "bench-host");
        if (lock.executeUpdate() != 1) {
            throw new IllegalStateException("lock not granted");
        }
        unlock.setString(1, "0 seconds");
        unlock.setString(2, "0 seconds");
        unlock.setString(3, KEY);
        unlock.setString(4, "bench-host");
        return unlock.executeUpdate();
    }
}
