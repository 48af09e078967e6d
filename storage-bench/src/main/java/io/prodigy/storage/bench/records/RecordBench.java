package io.prodigy.storage.bench.records;

import io.prodigy.storage.bench.support.LatencyRecorder;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.session.PersistedSession;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Issue 7, benchmark 3: save and load of one session and one workflow checkpoint whose JSON is {@code bytes} long
 * (4 KiB or 1 MiB), file backend vs SQLite. A save updates the stored record with its current revision (the
 * optimistic-concurrency path every progress update takes) and is durable when it returns; a load reads and parses
 * it. Score: mean time per call; percentiles from {@link LatencyRecorder}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Warmup(iterations = 1, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RecordBench {

    /** JSON size of the record. Named so that JMH varies {@code impl} fastest: file and SQLite run back to back. */
    @Param({"4096", "1048576"})
    public int bytes;

    @Param({"file", "sqlite"})
    public String impl;

    private RecordTarget target;
    private PersistedSession session;
    private Checkpoint checkpoint;
    private final LatencyRecorder latency = new LatencyRecorder();
    private int measuredIterations;

    @Setup(Level.Trial)
    public void open() throws Exception {
        target = RecordTarget.open(impl);
        session = target.saveSession(RecordFixtures.session(bytes));
        checkpoint = target.saveCheckpoint(RecordFixtures.checkpoint(bytes));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        target.close();
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
    public PersistedSession sessionSave() throws Exception {
        long start = System.nanoTime();
        PersistedSession next = session.withProgress(session.iterationsCompleted() + 1, session.filesChanged());
        session = target.saveSession(next);
        latency.record(System.nanoTime() - start);
        return session;
    }

    @Benchmark
    public PersistedSession sessionLoad() throws Exception {
        long start = System.nanoTime();
        PersistedSession loaded = target.loadSession(session.id())
                .orElseThrow(() -> new IllegalStateException(impl + " lost session " + session.id()));
        latency.record(System.nanoTime() - start);
        return loaded;
    }

    @Benchmark
    public Checkpoint checkpointSave() throws Exception {
        long start = System.nanoTime();
        checkpoint = target.saveCheckpoint(checkpoint.withStepIndex(checkpoint.stepIndex() + 1));
        latency.record(System.nanoTime() - start);
        return checkpoint;
    }

    @Benchmark
    public Checkpoint checkpointLoad() throws Exception {
        long start = System.nanoTime();
        Checkpoint loaded = target.loadCheckpoint(checkpoint)
                .orElseThrow(() -> new IllegalStateException(impl + " lost checkpoint " + checkpoint.id()));
        latency.record(System.nanoTime() - start);
        return loaded;
    }
}
