package io.prodigy.storage.bench.distributed;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.redis.jedis4.JedisLockProvider;
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
import redis.clients.jedis.JedisPool;

/**
 * Issue 12: a lock acquired and released on Redis, one thread, one key. Score: acquire+release pairs per second.
 * <ul>
 *   <li>{@code store}: {@code locks().tryAcquire} + {@code release}: two scripts (grant with a fencing token from a
 *       never-expiring counter, compare-and-release keeping the token);</li>
 *   <li>{@code shedlock}: ShedLock's Jedis provider on the same server: {@code SET NX PX} and, to unlock, a
 *       {@code SET XX} that shortens the lease (no fencing token).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RedisLockBench {

    private static final Duration TTL = Duration.ofSeconds(30);

    @Param({"store", "shedlock"})
    public String impl;

    private UnifiedStorage storage;
    private JedisPool pool;
    private JedisLockProvider shedlock;
    private String key;

    @Setup(Level.Trial)
    public void open() {
        String prefix = RedisTarget.newPrefix("lock");
        key = "bench-lock-" + impl;
        storage = RedisTarget.open(prefix);
        pool = new JedisPool(java.net.URI.create(RedisTarget.URL));
        shedlock = new JedisLockProvider(pool, prefix);
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.close();
        storage.close();
    }

    @Benchmark
    public long acquireRelease() {
        if ("store".equals(impl)) {
            LockLease lease = storage.locks().tryAcquire(key, TTL).orElseThrow();
            storage.locks().release(lease);
            return lease.fencingToken();
        }
        SimpleLock lock = shedlock.lock(new LockConfiguration(Instant.now(), key, TTL, Duration.ZERO)).orElseThrow();
        lock.unlock();
        return 1;
    }
}
