package io.prodigy.storage.core.layer.retry;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.prodigy.storage.Capability;
import io.prodigy.storage.core.layer.intercept.Invocation;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.core.layer.intercept.RetrySafety;
import io.prodigy.storage.core.layer.intercept.StorageInterceptor;
import io.prodigy.storage.core.layer.metrics.StorageMetrics;
import io.prodigy.storage.error.StorageException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries transient failures as {@code storage.retry_policy} says.
 *
 * <p><b>What is retried.</b> Only errors whose {@link StorageException#isRetryable()} is true (the backend was
 * unavailable, or an attempt timed out). Conflicts, missing records, invalid input, lock errors, a full store and
 * corruption are never retried: repeating the same call cannot change their outcome.
 *
 * <p><b>Which operations.</b> Only those whose {@link RetrySafety} makes a repeat harmless even if the failed attempt
 * was in fact applied (a backend can commit and then lose the answer; a timed-out attempt can finish in the
 * background): reads; revision-checked creates and updates, whose repeat surfaces a version conflict instead of a
 * duplicate; deletes and other idempotent writes. An event append is retried only if the backend declares
 * {@link Capability#IDEMPOTENT_APPEND}, because then it drops re-sent events by id. DLQ add/claim/release and lock
 * acquire/release/force-release are never retried (see {@link Operation}).
 *
 * <p><b>Schedule.</b> {@code max_retries} retries after the first attempt, waiting {@link BackoffSchedule#delayBefore}
 * before each. If all attempts fail the last error is thrown. Waiting goes through a {@link Sleeper}; an interrupt
 * stops retrying, keeps the interrupt flag and throws the last error.
 *
 * <p>The decision logic is Failsafe's {@link RetryPolicy} driven as a standalone {@link Execution}, so that the wait
 * itself stays injectable (Failsafe's synchronous executor would call {@code Thread.sleep} directly).
 */
public final class RetryInterceptor implements StorageInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(RetryInterceptor.class);

    private final RetryPolicy<Object> policy;
    private final int maxRetries;
    private final boolean idempotentAppend;
    private final Sleeper sleeper;
    private final StorageMetrics metrics;

    public RetryInterceptor(BackoffSchedule schedule, Set<Capability> capabilities, Sleeper sleeper,
            StorageMetrics metrics) {
        Objects.requireNonNull(schedule, "schedule");
        this.maxRetries = schedule.policy().maxRetries();
        this.idempotentAppend = capabilities.contains(Capability.IDEMPOTENT_APPEND);
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.policy = RetryPolicy.builder()
                .handleIf(RetryInterceptor::isRetryable)
                .withMaxRetries(maxRetries)
                // Failsafe counts the failed attempt before asking, so the attempt count is the retry number.
                .withDelayFn(context -> schedule.delayBefore(context.getAttemptCount()))
                .build();
    }

    static boolean isRetryable(Throwable error) {
        return error instanceof StorageException se && se.isRetryable();
    }

    /** Whether this interceptor may repeat {@code operation} at all. */
    public boolean retries(Operation operation) {
        if (maxRetries == 0) {
            return false;
        }
        return switch (operation.retrySafety()) {
            case SAFE -> true;
            case SAFE_IF_IDEMPOTENT_APPEND -> idempotentAppend;
            case UNSAFE -> false;
        };
    }

    @Override
    public <T> T intercept(Operation operation, Invocation<T> invocation) {
        if (!retries(operation)) {
            return invocation.proceed();
        }
        Execution<Object> execution = null;
        while (true) {
            try {
                return invocation.proceed();
            } catch (RuntimeException e) {
                // Created on the first failure only, so the happy path allocates nothing here.
                if (execution == null) {
                    execution = Execution.of(policy);
                }
                execution.recordException(e);
                if (execution.isComplete()) {
                    throw e;
                }
                Duration delay = execution.getDelay();
                metrics.of(operation).recordRetry();
                LOG.debug("Retrying {} (retry {} of {}) in {}ms after: {}", operation, execution.getAttemptCount(),
                        maxRetries, delay.toMillis(), e.getMessage());
                try {
                    sleeper.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    e.addSuppressed(interrupted);
                    throw e;
                }
            }
        }
    }
}
