package io.prodigy.storage.core.layer;

import io.prodigy.storage.core.layer.retry.Sleeper;
import io.prodigy.storage.core.layer.timeout.TimeLimiter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Settings of the layers that {@code storage:} has no keys for, and the seams tests use to control time. The factory
 * uses {@link #DEFAULT}.
 *
 * @param circuitFailureThreshold consecutive unavailable calls that open the circuit breaker; default 5
 * @param circuitOpenDelay        how long an open breaker fails fast before letting a probe through; default 10s
 * @param slowProbeThreshold      a health probe slower than this reports {@code DEGRADED}; default 1s
 * @param maxConcurrentCalls      threads the timeout layer may use at once (calls past their timeout keep theirs
 *                                until they finish); default 256
 * @param sleeper                 how the retry layer waits; default {@link Sleeper#SYSTEM}
 * @param timeLimiter             how the timeout layer bounds calls, or {@code null} for the default: inside the
 *                                backend on the caller's thread when it declares
 *                                {@link io.prodigy.storage.support.deadline.BoundedWaits}, else a thread pool of
 *                                {@code maxConcurrentCalls} threads (health probes always use the pool). An
 *                                injected one bounds every call, whatever the backend, and is closed with the storage
 * @param jitterRandom            values in {@code [0, 1)} for retry jitter; default {@link ThreadLocalRandom}
 * @param nanoTicker              monotonic nanoseconds for latency metrics; default {@link System#nanoTime()}
 */
public record LayerOptions(
        int circuitFailureThreshold, Duration circuitOpenDelay, Duration slowProbeThreshold, int maxConcurrentCalls,
        Sleeper sleeper, TimeLimiter timeLimiter, DoubleSupplier jitterRandom, LongSupplier nanoTicker) {

    public static final LayerOptions DEFAULT = new LayerOptions(5, Duration.ofSeconds(10), Duration.ofSeconds(1), 256,
            Sleeper.SYSTEM, null, () -> ThreadLocalRandom.current().nextDouble(), System::nanoTime);

    public LayerOptions {
        if (circuitFailureThreshold < 1) {
            throw new IllegalArgumentException("circuitFailureThreshold must be positive");
        }
        Objects.requireNonNull(circuitOpenDelay, "circuitOpenDelay");
        if (circuitOpenDelay.isNegative()) {
            throw new IllegalArgumentException("circuitOpenDelay must not be negative");
        }
        Objects.requireNonNull(slowProbeThreshold, "slowProbeThreshold");
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("maxConcurrentCalls must be positive");
        }
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(jitterRandom, "jitterRandom");
        Objects.requireNonNull(nanoTicker, "nanoTicker");
    }

    public LayerOptions withCircuitBreaker(int failureThreshold, Duration openDelay) {
        return new LayerOptions(failureThreshold, openDelay, slowProbeThreshold, maxConcurrentCalls, sleeper,
                timeLimiter, jitterRandom, nanoTicker);
    }

    public LayerOptions withSlowProbeThreshold(Duration threshold) {
        return new LayerOptions(circuitFailureThreshold, circuitOpenDelay, threshold, maxConcurrentCalls, sleeper,
                timeLimiter, jitterRandom, nanoTicker);
    }

    public LayerOptions withMaxConcurrentCalls(int max) {
        return new LayerOptions(circuitFailureThreshold, circuitOpenDelay, slowProbeThreshold, max, sleeper,
                timeLimiter, jitterRandom, nanoTicker);
    }

    public LayerOptions withSleeper(Sleeper s) {
        return new LayerOptions(circuitFailureThreshold, circuitOpenDelay, slowProbeThreshold, maxConcurrentCalls, s,
                timeLimiter, jitterRandom, nanoTicker);
    }

    public LayerOptions withTimeLimiter(TimeLimiter limiter) {
        return new LayerOptions(circuitFailureThreshold, circuitOpenDelay, slowProbeThreshold, maxConcurrentCalls,
                sleeper, limiter, jitterRandom, nanoTicker);
    }

    public LayerOptions withJitterRandom(DoubleSupplier random) {
        return new LayerOptions(circuitFailureThreshold, circuitOpenDelay, slowProbeThreshold, maxConcurrentCalls,
                sleeper, timeLimiter, random, nanoTicker);
    }

    public LayerOptions withNanoTicker(LongSupplier ticker) {
        return new LayerOptions(circuitFailureThreshold, circuitOpenDelay, slowProbeThreshold, maxConcurrentCalls,
                sleeper, timeLimiter, jitterRandom, ticker);
    }
}
