package io.prodigy.storage.bench.distributed;

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
 * Issue 12: a lock acquired and released on Redis, one thread, one key. Score: acquire+release pairs per second.
 * <ul>
 *   <li>{@code store}: {@code locks().tryAcquire} + {@code release} ({@link RedisLocks#store});</li>
 *   <li>{@code shedlock}: ShedLock's Jedis provider on the same server ({@link RedisLocks#shedlock}).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RedisLockBench {

    @Param({"store", "shedlock"})
    public String impl;

    private RedisLocks locks;

    @Setup(Level.Trial)
    public void open() {
        locks = new RedisLocks("lock");
    }

    @TearDown(Level.Trial)
    public void close() {
        locks.close();
    }

    @Benchmark
    public long acquireRelease() {
        return "store".equals(impl) ? locks.store("bench-lock-store") : locks.shedlock("bench-lock-shedlock");
    }
}
