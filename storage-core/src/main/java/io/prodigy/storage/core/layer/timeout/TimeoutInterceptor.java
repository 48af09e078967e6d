package io.prodigy.storage.core.layer.timeout;

import io.prodigy.storage.config.Durations;
import io.prodigy.storage.core.layer.intercept.Invocation;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.core.layer.intercept.StorageInterceptor;
import io.prodigy.storage.core.layer.metrics.StorageMetrics;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.support.deadline.BoundedWaits;
import io.prodigy.storage.support.deadline.CallDeadline;
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
 * <p><b>Where the attempt runs.</b> For a backend that declares {@link BoundedWaits} ({@link #inBackend}), on the
 * caller's thread with the attempt's {@link CallDeadline} set: every point where that backend waits gives up at the
 * deadline, and the thread hand-off (several microseconds, more than a cached read) is saved. For any other backend,
 * through a {@link TimeLimiter}: the production one runs the attempt on a pool thread and stops waiting at the limit.
 * Either way the caller gets a timeout error once the backend had to wait past the limit; work the backend is doing
 * (a disk write) is never cut short, and on the caller's thread the answer comes when that work is done.
 *
 * <p>Subscriptions ({@link Operation#isTimeBounded()} false) and the reading of a query's stream after it was opened
 * are not bounded.
 */
public final class TimeoutInterceptor implements StorageInterceptor {

    private final Duration timeout;
    private final long timeoutNanos;
    /** Runs each attempt on another thread; {@code null} when the backend bounds its own waits. */
    private final TimeLimiter limiter;
    private final StorageMetrics metrics;
    private final String backendType;

    private TimeoutInterceptor(Duration timeout, TimeLimiter limiter, StorageMetrics metrics, String backendType) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.timeoutNanos = saturatedNanos(timeout);
        this.limiter = limiter;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.backendType = backendType;
    }

    /**
     * Bounds each attempt inside a backend that declares {@link BoundedWaits}: the attempt runs on the caller's
     * thread with its {@link CallDeadline} set, and the backend's waits give up when it passes. No thread hand-off.
     */
    public static TimeoutInterceptor inBackend(Duration timeout, StorageMetrics metrics, String backendType) {
        return new TimeoutInterceptor(timeout, null, metrics, backendType);
    }

    /** Bounds each attempt by running it through {@code limiter} (a pool thread, for the production limiter). */
    public static TimeoutInterceptor through(TimeLimiter limiter, Duration timeout, StorageMetrics metrics,
            String backendType) {
        return new TimeoutInterceptor(timeout, Objects.requireNonNull(limiter, "limiter"), metrics, backendType);
    }

    /** Whether attempts run on the caller's thread (the backend bounds its own waits). */
    public boolean runsOnCallerThread() {
        return limiter == null;
    }

    @Override
    public <T> T intercept(Operation operation, Invocation<T> invocation) {
        if (!operation.isTimeBounded()) {
            return invocation.proceed();
        }
        if (limiter == null) {
            long previous = CallDeadline.start(budgetNanos(invocation.extraTime()));
            try {
                return invocation.proceed();
            } catch (CallDeadline.Exceeded e) {
                throw timedOut(operation, timeout.plus(invocation.extraTime()), e);
            } finally {
                CallDeadline.end(previous);
            }
        }
        Duration limit = timeout.plus(invocation.extraTime());
        try {
            return limiter.call(invocation.forked()::proceed, limit);
        } catch (TimeoutException e) {
            throw timedOut(operation, limit, e);
        }
    }

    private long budgetNanos(Duration extraTime) {
        if (extraTime.isZero()) {
            return timeoutNanos;
        }
        long extra = saturatedNanos(extraTime);
        return timeoutNanos > Long.MAX_VALUE - extra ? Long.MAX_VALUE : timeoutNanos + extra;
    }

    private static long saturatedNanos(Duration d) {
        return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private RuntimeException timedOut(Operation operation, Duration limit, Exception cause) {
        metrics.of(operation).recordTimeout();
        String message = "Storage operation " + operation + " on backend '" + backendType
                + "' did not finish within " + Durations.format(limit) + " (storage.timeout). It may still"
                + " complete in the background. If the backend is just slow, raise storage.timeout; otherwise"
                + " check the backend's health.";
        // A write that timed out may still be applied by the attempt running in the background (or, inside a
        // backend, may have applied an earlier step of its own before the wait that gave up).
        return operation.isMutating()
                ? StorageUnavailableException.outcomeUnknown(message, cause)
                : new StorageUnavailableException(message, cause);
    }
}
