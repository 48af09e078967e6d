package io.prodigy.storage.bench.distributed;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 12, the same comparison as {@link RedisLockBench} but at the same moment: one thread acquires and releases
 * through {@code locks()} ({@code store}) while another does the same through ShedLock's Jedis provider
 * ({@code shedlock}), each on its own key of the same server. On a shared machine the load changes from one second to
 * the next, so two runs one after the other compare two different machines; two threads side by side see the same
 * load, the same server and the same scheduler, and the ratio of their scores is the comparison. Scores: pairs per
 * second of each thread (JMH prints each method's score under the group).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RedisLockPairBench {

    private RedisLocks locks;

    @Setup(Level.Trial)
    public void open() {
        locks = new RedisLocks("lockpair");
    }

    @TearDown(Level.Trial)
    public void close() {
        locks.close();
    }

    @Benchmark
    @Group("pair")
    @GroupThreads(1)
    public long store() {
        return locks.store("bench-lock-store");
    }

    @Benchmark
    @Group("pair")
    @GroupThreads(1)
    public int shedlock() {
        return locks.shedlock("bench-lock-shedlock");
    }
}
