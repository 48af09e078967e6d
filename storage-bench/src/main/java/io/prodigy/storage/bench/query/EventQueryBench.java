package io.prodigy.storage.bench.query;

import io.prodigy.storage.bench.support.ExtraMetrics;
import io.prodigy.storage.bench.support.LatencyRecorder;
import io.prodigy.storage.bench.support.ProcIo;
import io.prodigy.storage.event.EventStats;
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

/**
 * Issue 7, benchmark 2: queries of one {@code events}-event job (see {@link QueryDataset}), for each {@code impl}:
 * {@code file} (the file backend), {@code sqlite} (indexed by (job, sequence) and (job, time)) and {@code jsonl} (a
 * raw Jackson parse of the file backend's segments):
 * <ul>
 *   <li>{@code fullScan}: stream every event, in order;</li>
 *   <li>{@code timeRange}: the events of a window holding 1% of the job, from its middle;</li>
 *   <li>{@code aggregate}: the job's {@link EventStats}.</li>
 * </ul>
 * Score: mean time per query. Every answer is checked (event counts, totals). Before the trial, one query is run
 * with the process's read counter ({@code /proc/self/io} rchar) sampled around it, and the bytes it read are recorded
 * next to the size of the data it reads from: the evidence for "reads well under 10% of the file".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EventQueryBench {

    @Param({"file", "sqlite", "jsonl"})
    public String impl;

    @Param({"1000000"})
    public int events;

    private QueryDataset ds;
    private QueryTarget target;

    @Setup(Level.Trial)
    public void open(BenchmarkParams benchmark) throws Exception {
        ds = QueryDataset.ensure(events);
        target = QueryTarget.open(impl, ds);
        measureBytesRead(benchmark);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        target.close();
    }

    private void measureBytesRead(BenchmarkParams benchmark) throws Exception {
        String name = LatencyRecorder.benchmarkName(benchmark);
        Map<String, String> params = LatencyRecorder.paramsOf(benchmark);
        long before = ProcIo.readChars();
        if (name.endsWith(".fullScan")) {
            check("full scan", target.scanAll(o -> { }), events);
        } else if (name.endsWith(".timeRange")) {
            check("time range", target.scanWindow(ds, o -> { }), ds.windowSize());
        } else {
            checkStats(target.aggregate());
        }
        long after = ProcIo.readChars();
        if (before >= 0 && after >= 0) {
            ExtraMetrics.record(name, params, "bytes_read_per_query", after - before, "bytes");
            ExtraMetrics.record(name, params, "stored_bytes", target.storedBytes(), "bytes");
        }
    }

    @Benchmark
    public long fullScan(Blackhole bh) throws Exception {
        return check("full scan", target.scanAll(bh::consume), events);
    }

    @Benchmark
    public long timeRange(Blackhole bh) throws Exception {
        return check("time range", target.scanWindow(ds, bh::consume), ds.windowSize());
    }

    @Benchmark
    public EventStats aggregate() throws Exception {
        return checkStats(target.aggregate());
    }

    private long check(String what, long got, long expected) {
        if (got != expected) {
            throw new IllegalStateException(impl + " " + what + " returned " + got + " events, expected " + expected);
        }
        return got;
    }

    private EventStats checkStats(EventStats stats) {
        if (stats.totalEvents() != events || stats.lastSequence() != events) {
            throw new IllegalStateException(impl + " aggregate counted " + stats.totalEvents()
                    + " events up to sequence " + stats.lastSequence() + ", expected " + events);
        }
        return stats;
    }
}
