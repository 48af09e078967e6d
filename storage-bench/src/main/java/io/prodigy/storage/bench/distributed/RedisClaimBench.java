package io.prodigy.storage.bench.distributed;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 12: DLQ claims on Redis, one thread, a queue of 1,000 items: {@code claim} of 10 items (one script walking the
 * index from the oldest), then {@code release} of each with its token (one script each), so the queue never drains.
 * Score: items claimed and released per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class RedisClaimBench {

    static final int CLAIM = 10;

    private UnifiedStorage storage;
    private final JobRef job = JobRef.of("bench", "claims");

    @Setup(Level.Trial)
    public void open() {
        storage = RedisTarget.open(RedisTarget.newPrefix("claim"));
        for (int i = 0; i < 1_000; i++) {
            storage.dlq().add(job, DlqFailure.of(String.format("item-%05d", i), null, "boom"));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        storage.dlq().purge(job);
        storage.close();
    }

    @Benchmark
    @OperationsPerInvocation(CLAIM)
    public int claimAndRelease() {
        List<DlqItem> claimed = storage.dlq().claim(job, "bench", CLAIM, Duration.ofMinutes(5));
        for (DlqItem item : claimed) {
            storage.dlq().release(job, item.itemId(), item.claim().token(), null);
        }
        return claimed.size();
    }
}
