package io.prodigy.storage.core.layer.retry;

import io.prodigy.storage.config.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The delays of {@code storage.retry_policy}: {@link RetryPolicy#delayBefore(int)} (initial delay times the
 * multiplier per retry, capped at {@code max_delay}), and with {@code jitter} on, a delay drawn uniformly from
 * {@code [delay/2, delay]} so that many clients failing together do not retry together.
 */
public final class BackoffSchedule {

    private final RetryPolicy policy;
    private final DoubleSupplier random;

    /**
     * @param random values in {@code [0, 1)}; injectable so tests can pin the jitter
     */
    public BackoffSchedule(RetryPolicy policy, DoubleSupplier random) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The delay before retry number {@code retry} (1 = the first retry). */
    public Duration delayBefore(int retry) {
        Duration base = policy.delayBefore(retry);
        if (!policy.jitter() || base.isZero()) {
            return base;
        }
        long nanos = base.toNanos();
        double r = Math.min(Math.max(random.getAsDouble(), 0.0), 1.0);
        return Duration.ofNanos(nanos / 2 + (long) (r * (nanos - nanos / 2)));
    }

    public RetryPolicy policy() {
        return policy;
    }
}
