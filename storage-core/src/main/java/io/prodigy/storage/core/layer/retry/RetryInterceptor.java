package io.prodigy.storage.core.layer.retry;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import io.prodigy.storage.Capability;
import io.prodigy.storage.core.layer.intercept.Invocation;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.core.layer.intercept.RetrySafety;
import io.prodigy.storage.core.layer.intercept.StorageInterceptor;
import io.prodigy.storage.core.layer.metrics.StorageMetrics;
import io.prodigy.storage.error.FailureOutcome;
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
 * <p><b>Which operations.</b> It depends on what the failed attempt did ({@link StorageException#outcome()}):
 * <ul>
 *   <li>{@link FailureOutcome#NOT_APPLIED} (refused, unreachable, rolled back): every operation is retried, because
 *       the store is exactly as before the attempt;</li>
 *   <li>{@link FailureOutcome#UNKNOWN} (a timeout or a lost reply: the attempt may have been applied in full): only
 *       operations whose {@link RetrySafety} makes a repeat harmless — reads; revision-checked writes, which find
 *       their own write already stored; deletes and other idempotent writes; an event append only where the backend
 *       declares {@link Capability#IDEMPOTENT_APPEND}. The rest (lock grants, DLQ claims) fail with the unknown
 *       outcome for the caller to resolve by reading back (see {@link Operation}).</li>
 * </ul>
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

    /** Whether this interceptor may repeat {@code operation} after an attempt whose outcome is unknown. */
    public boolean retriesUnknownOutcome(Operation operation) {
        return switch (operation.retrySafety()) {
            case SAFE -> true;
            case SAFE_IF_IDEMPOTENT_APPEND -> idempotentAppend;
            case UNSAFE -> false;
        };
    }

    @Override
    public <T> T intercept(Operation operation, Invocation<T> invocation) {
        if (maxRetries == 0) {
            return invocation.proceed();
        }
        Execution<Object> execution = null;
        while (true) {
            try {
                return invocation.proceed();
            } catch (RuntimeException e) {
                if (e instanceof StorageException se && se.outcome() == FailureOutcome.UNKNOWN
                        && !retriesUnknownOutcome(operation)) {
                    // The attempt may have been applied and a repeat could apply it twice: the caller decides.
                    throw e;
                }
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
