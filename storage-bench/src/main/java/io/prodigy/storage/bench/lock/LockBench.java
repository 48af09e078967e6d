package io.prodigy.storage.bench.lock;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.bench.support.LatencyRecorder;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Issue 7, benchmark 4: a lock acquired and released, file and memory backends.
 * <ul>
 *   <li>{@code uncontended}: one thread, {@code tryAcquire} + {@code release} of its own key;</li>
 *   <li>{@code contended4}: four threads, {@code acquire} (waiting up to 30 s) + {@code release} of one shared key.
 *       A holder count checks mutual exclusion on every grant.</li>
 * </ul>
 * Score: acquire+release pairs per second (all threads); per-pair latency from {@link LatencyRecorder}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LockBench {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    @Param({"file", "memory"})
    public String impl;

    private Path dir;
    private UnifiedStorage storage;
    private LockService locks;
    private final AtomicInteger holders = new AtomicInteger();
    private final LatencyRecorder latency = new LatencyRecorder();
    private int measuredIterations;

    @Setup(Level.Trial)
    public void open() {
        dir = "file".equals(impl) ? BenchDirs.newScratchDir("locks") : null;
        storage = Backends.open(impl, dir);
        locks = storage.locks();
    }

    @TearDown(Level.Trial)
    public void close() {
        try {
            storage.close();
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        latency.reset();
    }

    @TearDown(Level.Iteration)
    public void endIteration(BenchmarkParams benchmark, IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT) {
            measuredIterations++;
        }
        latency.publishIteration(benchmark, iteration, measuredIterations);
    }

    @Benchmark
    @Threads(1)
    public long uncontended() {
        long start = System.nanoTime();
        LockLease lease = locks.tryAcquire("bench-lock-solo", TTL)
                .orElseThrow(() -> new IllegalStateException(impl + ": an unheld lock was refused"));
        locks.release(lease);
        latency.record(System.nanoTime() - start);
        return lease.fencingToken();
    }

    @Benchmark
    @Threads(4)
    public long contended4() {
        long start = System.nanoTime();
        LockLease lease = locks.acquire("bench-lock-shared", TTL, MAX_WAIT);
        try {
            if (holders.incrementAndGet() != 1) {
                throw new IllegalStateException(impl + ": two threads held bench-lock-shared at once");
            }
        } finally {
            holders.decrementAndGet();
        }
        locks.release(lease);
        latency.record(System.nanoTime() - start);
        return lease.fencingToken();
    }
}
