package io.prodigy.storage.config;

import java.time.Duration;

/**
 * {@code storage.retry_policy}: how transient failures are retried (docs/configuration.md). With the defaults a
 * failing call is retried after 1s, 2s and 4s (plus jitter), then fails.
 *
 * @param maxRetries        retries after the first attempt (0 disables retrying); default 3
 * @param initialDelay      delay before the first retry; default 1s
 * @param maxDelay          cap on any single delay; default 30s
 * @param backoffMultiplier each delay is the previous one times this; default 2.0
 * @param jitter            randomize each delay within [delay/2, delay] to avoid thundering herds; default true
 */
public record RetryPolicy(
        int maxRetries, Duration initialDelay, Duration maxDelay, double backoffMultiplier, boolean jitter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, true);

    /** No retries. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1.0, false);

    public RetryPolicy {
        if (maxRetries < 0 || maxRetries > 100) {
            throw StorageConfigException.invalidValue("max_retries", maxRetries, "a whole number from 0 to 100");
        }
        if (initialDelay == null || initialDelay.isNegative()) {
            throw StorageConfigException.invalidValue("initial_delay", initialDelay, Durations.SYNTAX);
        }
        if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
            throw StorageConfigException.invalidValue("max_delay", maxDelay == null ? null : Durations.format(maxDelay),
                    "a duration at least initial_delay (" + Durations.format(initialDelay) + ")");
        }
        if (!(backoffMultiplier >= 1.0 && backoffMultiplier <= 100.0)) {
            throw StorageConfigException.invalidValue("backoff_multiplier", backoffMultiplier,
                    "a number from 1.0 to 100.0");
        }
    }

    /**
     * The delay before retry number {@code retry} (1-based) without jitter:
     * {@code min(maxDelay, initialDelay * backoffMultiplier^(retry-1))}.
     */
    public Duration delayBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry is 1-based");
        }
        double nanos = initialDelay.toNanos() * Math.pow(backoffMultiplier, retry - 1);
        if (nanos >= maxDelay.toNanos()) {
            return maxDelay;
        }
        return Duration.ofNanos((long) nanos);
    }
}
