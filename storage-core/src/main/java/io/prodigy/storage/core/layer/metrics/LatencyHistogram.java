package io.prodigy.storage.core.layer.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram with fixed buckets from 5µs to 60s (a 1-2.5-5 progression, plus an overflow
 * bucket). Recording is a binary search and two {@link LongAdder} increments, cheap enough for every call.
 * Percentiles are estimated as the upper bound of the bucket that holds them (capped at the maximum seen), so they
 * are exact to the bucket's resolution, which is all an operator needs to tell 1ms from 100ms.
 */
public final class LatencyHistogram {

    /** Upper bounds (inclusive) of the buckets, in nanoseconds; a last, unbounded bucket follows. */
    static final long[] BOUNDS_NANOS = {
            5_000L, 10_000L, 25_000L, 50_000L, 100_000L, 250_000L, 500_000L,
            1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L, 100_000_000L, 250_000_000L,
            500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L, 30_000_000_000L,
            60_000_000_000L};

    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder totalNanos = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Records one call that took {@code nanos} (negative values, from a clock step, count as zero). */
    public void record(long nanos) {
        long n = Math.max(0, nanos);
        int index = Arrays.binarySearch(BOUNDS_NANOS, n);
        buckets[index >= 0 ? index : -index - 1].increment();
        totalNanos.add(n);
        maxNanos.accumulate(n);
    }

    /** Summed latency of every recorded call, in nanoseconds (live, no copy). */
    public long totalNanos() {
        return totalNanos.sum();
    }

    /** The slowest recorded call, in nanoseconds (live, no copy). */
    public long maxNanos() {
        return maxNanos.get();
    }

    public Snapshot snapshot() {
        long[] counts = new long[buckets.length];
        long count = 0;
        for (int i = 0; i < buckets.length; i++) {
            counts[i] = buckets[i].sum();
            count += counts[i];
        }
        return new Snapshot(count, totalNanos.sum(), maxNanos.get(), counts);
    }

    /**
     * A point-in-time copy.
     *
     * @param count      calls recorded
     * @param totalNanos their summed latency
     * @param maxNanos   the slowest
     */
    public record Snapshot(long count, long totalNanos, long maxNanos, long[] bucketCounts) {

        public Snapshot {
            bucketCounts = bucketCounts.clone();
        }

        public Duration total() {
            return Duration.ofNanos(totalNanos);
        }

        public Duration max() {
            return Duration.ofNanos(maxNanos);
        }

        public Duration mean() {
            return count == 0 ? Duration.ZERO : Duration.ofNanos(totalNanos / count);
        }

        /**
         * The latency below which {@code quantile} of the calls fall, to the resolution of the buckets.
         *
         * @param quantile from 0 (exclusive) to 1 (inclusive), for example 0.99
         */
        public Duration percentile(double quantile) {
            if (!(quantile > 0 && quantile <= 1)) {
                throw new IllegalArgumentException("quantile must be in (0, 1], was " + quantile);
            }
            if (count == 0) {
                return Duration.ZERO;
            }
            long rank = (long) Math.ceil(quantile * count);
            long seen = 0;
            for (int i = 0; i < bucketCounts.length; i++) {
                seen += bucketCounts[i];
                if (seen >= rank) {
                    long upper = i < BOUNDS_NANOS.length ? BOUNDS_NANOS[i] : maxNanos;
                    return Duration.ofNanos(Math.min(upper, maxNanos));
                }
            }
            return Duration.ofNanos(maxNanos);
        }

        /** Non-empty buckets as (upper bound, count); the overflow bucket's bound is {@code null}. */
        public List<Bucket> buckets() {
            List<Bucket> out = new ArrayList<>();
            for (int i = 0; i < bucketCounts.length; i++) {
                if (bucketCounts[i] > 0) {
                    out.add(new Bucket(i < BOUNDS_NANOS.length ? Duration.ofNanos(BOUNDS_NANOS[i]) : null,
                            bucketCounts[i]));
                }
            }
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s && s.count == count && s.totalNanos == totalNanos
                    && s.maxNanos == maxNanos && Arrays.equals(s.bucketCounts, bucketCounts);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(count) * 31 + Arrays.hashCode(bucketCounts);
        }

        @Override
        public String toString() {
            return "LatencySnapshot[count=" + count + ", mean=" + mean() + ", p99=" + percentile(0.99) + ", max="
                    + max() + "]";
        }
    }

    /** One bucket: calls that took at most {@code upperBound} (and more than the previous bucket's bound). */
    public record Bucket(Duration upperBound, long count) {}
}
