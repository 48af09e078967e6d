package io.prodigy.storage.core.layer.timeout;

import io.prodigy.storage.config.Durations;
import io.prodigy.storage.core.layer.intercept.Invocation;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.core.layer.intercept.StorageInterceptor;
import io.prodigy.storage.core.layer.metrics.StorageMetrics;
import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Bounds each attempt by {@code storage.timeout} (plus a lock acquire's own {@code maxWait}); an attempt that takes
 * longer fails with a {@link StorageUnavailableException}, which is retryable.
 *
 * <p><b>What this guarantees, honestly.</b> The caller gets an answer within the limit. It does not cancel the work:
 * the attempt keeps running in the background and may still be applied. That is safe because (1) every backend
 * operation is atomic, so there is never a half-applied change, only "applied" or "not applied", and (2) the retry
 * layer repeats only operations for which a repeat after an applied attempt is harmless: a revision-checked create
 * or update surfaces a {@link io.prodigy.storage.error.VersionConflictException} rather than a duplicate, deletes
 * and upserts are idempotent, and non-idempotent writes (event append without idempotent-append support, DLQ add,
 * lock acquire) are not retried at all. A caller that gets a timeout on such a write should check what was stored
 * before writing again.
 *
 * <p>Subscriptions ({@link Operation#isTimeBounded()} false) and the reading of a query's stream after it was opened
 * are not bounded.
 */
public final class TimeoutInterceptor implements StorageInterceptor {

    private final Duration timeout;
    private final TimeLimiter limiter;
    private final StorageMetrics metrics;
    private final String backendType;

    public TimeoutInterceptor(Duration timeout, TimeLimiter limiter, StorageMetrics metrics, String backendType) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.backendType = backendType;
    }

    @Override
    public <T> T intercept(Operation operation, Invocation<T> invocation) {
        if (!operation.isTimeBounded()) {
            return invocation.proceed();
        }
        Duration limit = timeout.plus(invocation.extraTime());
        try {
            return limiter.call(invocation::proceed, limit);
        } catch (TimeoutException e) {
            metrics.of(operation).recordTimeout();
            String message = "Storage operation " + operation + " on backend '" + backendType
                    + "' did not finish within " + Durations.format(limit) + " (storage.timeout). It may still"
                    + " complete in the background. If the backend is just slow, raise storage.timeout; otherwise"
                    + " check the backend's health.";
            // A write that timed out may still be applied by the attempt running in the background.
            throw operation.isMutating()
                    ? StorageUnavailableException.outcomeUnknown(message, e)
                    : new StorageUnavailableException(message, e);
        }
    }
}
