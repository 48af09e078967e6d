package io.prodigy.storage.bench.postgres;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.lock.LockLease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

/**
 * A lock acquired and released by one thread, its own key, with database time:
 * <ul>
 *   <li>{@code postgres}: {@code locks().tryAcquire} + {@code release} of the backend (fencing token, holder id);</li>
 *   <li>{@code shedlock}: ShedLock's PostgreSQL server-time statements ({@code INSERT … ON CONFLICT (name) DO UPDATE
 *       … WHERE lock_until <= now()} and the {@code UPDATE} that releases), issued with JDBC on its standard
 *       {@code shedlock} table in the same schema, on a connection of its own.</li>
 * </ul>
 * {@code alternating} runs one of each in turn ({@link SideBySide}): the ratio under the same load. Score: acquire +
 * release pairs per second. A failed acquire fails the benchmark.
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

    @Param({"postgres", "shedlock", "alternating"})
    public String impl;

    String schema;
    UnifiedStorage storage;
    Connection connection;
    PreparedStatement lock;
    PreparedStatement unlock;

    @Setup(Level.Trial)
    public void open() throws Exception {
        schema = PgBenchServer.newSchema("lock");
        storage = PgBenchServer.open(schema, 4);
        if (!"postgres".equals(impl)) {
            String t = "\"" + schema + "\".shedlock";
            PgBenchServer.execute("CREATE TABLE " + t + " (name varchar(64) PRIMARY KEY, lock_until timestamptz"
                    + " NOT NULL, locked_at timestamptz NOT NULL, locked_by varchar(255) NOT NULL)");
            connection = PgBenchServer.connect();
            lock = connection.prepareStatement("INSERT INTO " + t + " (name, lock_until, locked_at, locked_by)"
                    + " VALUES (?, now() + cast(? as interval), now(), ?) ON CONFLICT (name) DO UPDATE SET"
                    + " lock_until = now() + cast(? as interval), locked_at = now(), locked_by = ?"
                    + " WHERE shedlock.lock_until <= now()");
            unlock = connection.prepareStatement("UPDATE " + t + " SET lock_until = CASE WHEN (locked_at +"
                    + " cast(? as interval)) > now() THEN (locked_at + cast(? as interval)) ELSE now() END"
                    + " WHERE name = ? AND locked_by = ?");
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        storage.close();
        PgBenchServer.dropSchema(schema);
    }

    @Benchmark
    public long acquireRelease(SideBySide sides) throws Exception {
        return switch (impl) {
            case "postgres" -> backend();
            case "shedlock" -> shedlock();
            default -> sides.both(this::backend, this::shedlock);
        };
    }

    private long backend() {
        LockLease lease = storage.locks().tryAcquire(KEY, TTL)
                .orElseThrow(() -> new IllegalStateException("lock not granted"));
        storage.locks().release(lease);
        return lease.fencingToken();
    }

    private long shedlock() throws Exception {
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
