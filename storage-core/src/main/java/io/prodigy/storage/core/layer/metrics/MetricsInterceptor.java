package io.prodigy.storage.core.layer.metrics;

import io.prodigy.storage.core.layer.intercept.Invocation;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.core.layer.intercept.StorageInterceptor;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Counts every call by outcome and records its latency. It is the outermost layer, so it measures what the caller
 * experiences: cache hits, retries and their back-off included.
 */
public final class MetricsInterceptor implements StorageInterceptor {

    private final StorageMetrics metrics;
    private final LongSupplier nanoTicker;

    /**
     * @param nanoTicker a monotonic nanosecond source ({@code System::nanoTime} in production)
     */
    public MetricsInterceptor(StorageMetrics metrics, LongSupplier nanoTicker) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
    }

    @Override
    public <T> T intercept(Operation operation, Invocation<T> invocation) {
        OperationMetrics m = metrics.of(operation);
        long start = nanoTicker.getAsLong();
        try {
            T result = invocation.proceed();
            m.record(Outcome.SUCCESS, nanoTicker.getAsLong() - start);
            return result;
        } catch (RuntimeException | Error e) {
            m.record(Outcome.of(e), nanoTicker.getAsLong() - start);
            throw e;
        }
    }
}
