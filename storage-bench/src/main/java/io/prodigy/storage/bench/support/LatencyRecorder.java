package io.prodigy.storage.bench.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Latency of every measured call, in a log-linear histogram (32 sub-buckets per power of two, so any percentile is
 * within about 3% of the true value), shared by all benchmark threads.
 *
 * <p>Why not JMH's {@code SampleTime} mode: it drops {@code @AuxCounters}, so a benchmark could not report throughput
 * in events per second and latency percentiles from the same run. Recording costs two {@code System.nanoTime()} calls
 * and one {@link LongAdder} increment (tens of nanoseconds), negligible against appends that wait for fsync.
 *
 * <p>Each measurement iteration is published separately ({@link #publishIteration}); the report takes the mean and
 * confidence interval of each percentile across iterations, as JMH does for its own scores.
 */
public final class LatencyRecorder {

    private static final int SUB_BITS = 5;
    private static final int SUBS = 1 << SUB_BITS;
    private static final int BUCKETS = 64 * SUBS;

    private final LongAdder[] counts = new LongAdder[BUCKETS];
    private final LongAdder total = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    public LatencyRecorder() {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Records one call that took {@code nanos}. Thread-safe. */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[bucket(v)].increment();
        total.increment();
        sum.add(v);
        max.accumulate(v);
    }

    /** Forgets everything recorded (call between iterations). Not atomic with concurrent {@link #record}. */
    public void reset() {
        for (LongAdder c : counts) {
            c.reset();
        }
        total.reset();
        sum.reset();
        max.reset();
    }

    /** How many calls were recorded. */
    public long count() {
        return total.sum();
    }

    /** The value below which {@code percentile}% of the recorded calls fall, in nanoseconds (0 if none). */
    public long percentileNanos(double percentile) {
        long n = total.sum();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i].sum();
            if (seen >= Math.max(1, rank)) {
                return Math.min(bucketMiddle(i), max.get());
            }
        }
        return max.get();
    }

    public double meanNanos() {
        long n = total.sum();
        return n == 0 ? 0 : (double) sum.sum() / n;
    }

    /**
     * If the iteration that just ended was a measurement iteration, records its mean, p50, p90, p99, p99.9 and max
     * latency (in microseconds) as extra metrics of this benchmark; then resets for the next iteration.
     */
    public void publishIteration(BenchmarkParams benchmark, IterationParams iteration, int iterationIndex) {
        try {
            if (iteration.getType() != IterationType.MEASUREMENT || count() == 0) {
                return;
            }
            Map<String, String> params = new LinkedHashMap<>(paramsOf(benchmark));
            params.put("iteration", Integer.toString(iterationIndex));
            String name = benchmarkName(benchmark);
            ExtraMetrics.record(name, params, "latency_mean", meanNanos() / 1_000.0, "us");
            ExtraMetrics.record(name, params, "latency_p50", percentileNanos(50) / 1_000.0, "us");
            ExtraMetrics.record(name, params, "latency_p90", percentileNanos(90) / 1_000.0, "us");
            ExtraMetrics.record(name, params, "latency_p99", percentileNanos(99) / 1_000.0, "us");
            ExtraMetrics.record(name, params, "latency_p999", percentileNanos(99.9) / 1_000.0, "us");
            ExtraMetrics.record(name, params, "latency_max", max.get() / 1_000.0, "us");
        } finally {
            reset();
        }
    }

    /** The benchmark's short name: {@code Class.method}. */
    public static String benchmarkName(BenchmarkParams benchmark) {
        String full = benchmark.getBenchmark();
        int method = full.lastIndexOf('.');
        int cls = full.lastIndexOf('.', method - 1);
        return full.substring(cls + 1);
    }

    /** The benchmark's {@code @Param} values. */
    public static Map<String, String> paramsOf(BenchmarkParams benchmark) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : benchmark.getParamsKeys()) {
            params.put(key, benchmark.getParam(key));
        }
        return params;
    }

    static int bucket(long v) {
        if (v < SUBS) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
        int sub = (int) (v >>> (exp - SUB_BITS)) & (SUBS - 1);
        return (exp - SUB_BITS + 1) * SUBS + sub;
    }

    static long bucketMiddle(int index) {
        if (index < SUBS) {
            return index;
        }
        int exp = index / SUBS + SUB_BITS - 1;
        int sub = index % SUBS;
        long low = (1L << exp) | ((long) sub << (exp - SUB_BITS));
        long width = 1L << (exp - SUB_BITS);
        return low + width / 2;
    }
}
