package io.prodigy.storage.bench.append;

import io.prodigy.storage.bench.support.ExtraMetrics;
import io.prodigy.storage.bench.support.LatencyRecorder;
import io.prodigy.storage.bench.support.ProcessCpu;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Issue 7, benchmark 1: durable event append of {@value io.prodigy.storage.bench.support.EventFixtures#EVENT_BYTES}-byte
 * events to one job, by 1, 4 or 16 threads (one method each), in batches of 1 or 100 ({@code batch}), for each
 * {@code impl}:
 * <ul>
 *   <li>{@code file}: the file backend; {@code append} returns after fsync;</li>
 *   <li>{@code raw}: {@link io.prodigy.storage.bench.baseline.GroupCommitLog} appending to a growing file;</li>
 *   <li>{@code rawPrealloc}: the same overwriting a file zero-filled before the trial, the disk's real limit (an
 *       fdatasync that does not also write the file's size);</li>
 *   <li>{@code sqlite}: SQLite, WAL, {@code synchronous=FULL}, one table keyed by (job, sequence);</li>
 *   <li>{@code memory}: the memory backend (not durable), for scale.</li>
 * </ul>
 * The primary score is append calls per second (all threads); the secondary score {@code events} is events per
 * second. The latency of every call goes to a {@link LatencyRecorder}, published per measurement iteration, with the
 * process CPU time spent per event (appending threads, the backend's own threads, GC). After each trial the target
 * is checked to hold exactly the acknowledged events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Warm-up of 10 s: the file backend's batch-100 append path (encoder, id window, segment bookkeeping) reaches its
// steady rate only after 6-10 s of appends on 2 cores (C2 compiling it while the disk waits); with the earlier
// 0.5 s, batch-100 cells measured mostly interpreted and C1 code (docs/perf.md, "The batch-100 gap between JMH and
// AppendLoop").
@Warmup(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class EventAppendBench {

    @Param({"file", "raw", "rawPrealloc", "sqlite", "memory"})
    public String impl;

    @Param({"1", "100"})
    public int batch;

    private AppendTarget target;
    private final LongAdder acknowledged = new LongAdder();
    private final LatencyRecorder latency = new LatencyRecorder();
    private int measuredIterations;
    private long cpuAtStart;
    private long eventsAtStart;

    @Setup(Level.Trial)
    public void open() throws Exception {
        target = AppendTarget.open(impl);
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        latency.reset();
        cpuAtStart = ProcessCpu.nanos();
        eventsAtStart = acknowledged.sum();
    }

    @TearDown(Level.Iteration)
    public void endIteration(BenchmarkParams benchmark, IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT) {
            measuredIterations++;
            // CPU per event explains where a target stops scaling on 2 cores: 2 s of CPU per second is the ceiling.
            long events = acknowledged.sum() - eventsAtStart;
            long cpu = ProcessCpu.nanos() - cpuAtStart;
            if (events > 0 && cpuAtStart >= 0) {
                Map<String, String> params = new LinkedHashMap<>(LatencyRecorder.paramsOf(benchmark));
                params.put("iteration", Integer.toString(measuredIterations));
                ExtraMetrics.record(LatencyRecorder.benchmarkName(benchmark), params, "cpu_per_event",
                        cpu / 1_000.0 / events, "us");
            }
        }
        latency.publishIteration(benchmark, iteration, measuredIterations);
    }

    @TearDown(Level.Trial)
    public void verifyAndClose() throws Exception {
        try {
            target.verify(acknowledged.sum());
        } finally {
            target.close();
        }
    }

    /** One benchmark thread's writer. */
    @State(Scope.Thread)
    public static class Writer {
        AppendTarget.Appender appender;
        LongAdder acknowledged;
        LatencyRecorder latency;

        @Setup(Level.Trial)
        public void setUp(EventAppendBench bench, ThreadParams thread) {
            appender = bench.target.appender(thread.getThreadIndex(), bench.batch);
            acknowledged = bench.acknowledged;
            latency = bench.latency;
        }
    }

    /** Events appended, reported by JMH as events per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
        }
    }

    private static void appendOnce(Writer w, Events counter) throws Exception {
        long start = System.nanoTime();
        int n = w.appender.append();
        w.latency.record(System.nanoTime() - start);
        w.acknowledged.add(n);
        counter.events += n;
    }

    @Benchmark
    @Threads(1)
    public void threads01(Writer w, Events counter) throws Exception {
        appendOnce(w, counter);
    }

    @Benchmark
    @Threads(4)
    public void threads04(Writer w, Events counter) throws Exception {
        appendOnce(w, counter);
    }

    @Benchmark
    @Threads(16)
    public void threads16(Writer w, Events counter) throws Exception {
        appendOnce(w, counter);
    }
}
