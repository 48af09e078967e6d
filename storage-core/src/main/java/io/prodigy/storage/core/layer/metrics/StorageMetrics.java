package io.prodigy.storage.core.layer.metrics;

import io.prodigy.storage.core.layer.intercept.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in metrics registry of a layered storage: one {@link OperationMetrics} per {@link Operation}, created up
 * front so recording never allocates or locks. Read it through {@code LayeredStorage.metrics()}, or export it with
 * {@link MicrometerStorageMetrics} when Micrometer is on the class path.
 */
public final class StorageMetrics {

    private final OperationMetrics[] byOperation;

    public StorageMetrics() {
        Operation[] ops = Operation.values();
        byOperation = new OperationMetrics[ops.length];
        for (Operation op : ops) {
            byOperation[op.ordinal()] = new OperationMetrics(op);
        }
    }

    /** The live counters of {@code operation}. */
    public OperationMetrics of(Operation operation) {
        return byOperation[operation.ordinal()];
    }

    /** Snapshots of the operations that have been called at least once, in {@link Operation} order. */
    public List<OperationStats> snapshot() {
        List<OperationStats> out = new ArrayList<>();
        for (OperationMetrics m : byOperation) {
            if (m.calls() > 0 || m.retries() > 0 || m.rejections() > 0) {
                out.add(m.snapshot());
            }
        }
        return out;
    }

    /** Totals over every operation. */
    public Totals totals() {
        long calls = 0;
        long failures = 0;
        long retries = 0;
        long timeouts = 0;
        long rejections = 0;
        for (OperationMetrics m : byOperation) {
            long c = m.calls();
            calls += c;
            failures += c - m.count(Outcome.SUCCESS);
            retries += m.retries();
            timeouts += m.timeouts();
            rejections += m.rejections();
        }
        return new Totals(calls, failures, retries, timeouts, rejections);
    }

    /** Sums over every operation. */
    public record Totals(long calls, long failures, long retries, long timeouts, long rejections) {

        /** Failed calls as a fraction of all calls; 0 when there were none. */
        public double failureRate() {
            return calls == 0 ? 0.0 : (double) failures / calls;
        }
    }
}
