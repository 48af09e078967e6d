package io.prodigy.storage.bench.query;

import io.prodigy.storage.bench.support.ExtraMetrics;
import io.prodigy.storage.bench.support.HeapWatcher;
import io.prodigy.storage.bench.support.LatencyRecorder;
import java.util.LinkedHashMap;
import java.util.Map;
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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Issue 7, benchmark 2 (memory): streams the whole {@code events}-event job in a JVM limited to {@code -Xmx64m}. That
 * the run completes is the test (a store that buffered the result would die with OutOfMemoryError); the recorded
 * figures are the heap's peak occupancy (garbage included) and the largest heap still live right after a collection.
 * The baselines run the same way for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms64m", "-Xmx64m"})
public class QueryHeapBench {

    @Param({"file", "sqlite", "jsonl"})
    public String impl;

    @Param({"1000000"})
    public int events;

    private QueryTarget target;
    private HeapWatcher heap;
    private int measuredIterations;

    @Setup(Level.Trial)
    public void open() throws Exception {
        target = QueryTarget.open(impl, QueryDataset.ensure(events));
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        target.close();
    }

    @Setup(Level.Iteration)
    public void watch() {
        System.gc(); // start every iteration from the same, collected heap
        heap = HeapWatcher.start();
    }

    @TearDown(Level.Iteration)
    public void report(BenchmarkParams benchmark, IterationParams iteration) {
        try {
            if (iteration.getType() != IterationType.MEASUREMENT) {
                return;
            }
            Map<String, String> params = new LinkedHashMap<>(LatencyRecorder.paramsOf(benchmark));
            params.put("iteration", Integer.toString(++measuredIterations));
            String name = LatencyRecorder.benchmarkName(benchmark);
            ExtraMetrics.record(name, params, "heap_peak_used", heap.peakHeapUsed(), "bytes");
            ExtraMetrics.record(name, params, "heap_max_live_after_gc", heap.maxLiveAfterGc(), "bytes");
            ExtraMetrics.record(name, params, "heap_max", HeapWatcher.maxHeap(), "bytes");
            ExtraMetrics.record(name, params, "gc_count", heap.collections(), "collections");
        } finally {
            heap.close();
        }
    }

    @Benchmark
    public long streamAll(Blackhole bh) throws Exception {
        long n = target.scanAll(bh::consume);
        if (n != events) {
            throw new IllegalStateException(impl + " streamed " + n + " events, expected " + events);
        }
        return n;
    }
}
