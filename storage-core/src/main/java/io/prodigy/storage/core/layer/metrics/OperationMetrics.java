package io.prodigy.storage.core.layer.metrics;

import io.prodigy.storage.core.layer.intercept.Operation;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one operation: calls by {@link Outcome}, a latency histogram, and what the resilience layers did
 * (retries, timeouts, calls rejected by an open circuit). Thread-safe and lock-free.
 */
public final class OperationMetrics {

    private final Operation operation;
    private final LongAdder[] outcomes = new LongAdder[Outcome.values().length];
    private final LatencyHistogram latency = new LatencyHistogram();
    private final LongAdder retries = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder rejections = new LongAdder();

    OperationMetrics(Operation operation) {
        this.operation = operation;
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new LongAdder();
        }
    }

    public Operation operation() {
        return operation;
    }

    /** Records a finished call as the caller saw it. */
    public void record(Outcome outcome, long nanos) {
        outcomes[outcome.ordinal()].increment();
        latency.record(nanos);
    }

    public void recordRetry() {
        retries.increment();
    }

    public void recordTimeout() {
        timeouts.increment();
    }

    public void recordRejection() {
        rejections.increment();
    }

    public long calls() {
        long sum = 0;
        for (LongAdder a : outcomes) {
            sum += a.sum();
        }
        return sum;
    }

    /** Calls that threw, whatever the error. */
    public long failures() {
        return calls() - count(Outcome.SUCCESS);
    }

    public long count(Outcome outcome) {
        return outcomes[outcome.ordinal()].sum();
    }

    /** Retries made (attempts after the first). */
    public long retries() {
        return retries.sum();
    }

    /** Attempts cut off by {@code storage.timeout}. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Calls failed fast because the circuit breaker was open. */
    public long rejections() {
        return rejections.sum();
    }

    /** Summed latency of all calls, in nanoseconds (cheap: no snapshot). */
    public long totalLatencyNanos() {
        return latency.totalNanos();
    }

    /** The slowest call, in nanoseconds (cheap: no snapshot). */
    public long maxLatencyNanos() {
        return latency.maxNanos();
    }

    public LatencyHistogram.Snapshot latency() {
        return latency.snapshot();
    }

    /** A point-in-time copy. */
    public OperationStats snapshot() {
        Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            long n = count(o);
            if (n > 0) {
                byOutcome.put(o, n);
            }
        }
        return new OperationStats(operation, byOutcome, retries(), timeouts(), rejections(), latency());
    }
}
