package io.prodigy.storage.core.layer.health;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.Durations;
import io.prodigy.storage.core.layer.breaker.BreakerState;
import io.prodigy.storage.core.layer.cache.CacheStats;
import io.prodigy.storage.core.layer.metrics.OperationStats;
import io.prodigy.storage.core.layer.metrics.StorageMetrics;
import io.prodigy.storage.core.layer.timeout.TimeLimiter;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The health report of a layered storage: the backend's own report (its sizes, layout or schema version, pool usage
 * …), probed within {@code storage.timeout} and never through the circuit breaker, extended with what the layers
 * know.
 *
 * <p>Added details: {@code probe_latency_ms}, {@code circuit_breaker_state} ({@code closed}/{@code open}/
 * {@code half_open}) with {@code circuit_breaker_failures} and {@code circuit_breaker_retry_in_ms},
 * {@code cache_enabled} and, when on, {@code cache_hit_rate}, {@code cache_hits}, {@code cache_misses},
 * {@code cache_size}, {@code cache_evictions}; a metrics summary ({@code calls_total}, {@code calls_failed},
 * {@code call_failure_rate}, {@code retries}, {@code timeouts}, {@code circuit_rejections},
 * {@code slowest_operation}, {@code slowest_operation_p99_ms}); and {@code locking_enabled}.
 *
 * <p>Status: the backend's, made worse by the layers: {@code DOWN} while the breaker is open (calls fail fast) or
 * when the probe fails or times out; {@code DEGRADED} while the breaker is half-open, or when the probe took longer
 * than the slow-probe threshold. The message says why.
 */
public final class LayeredHealth {

    private final UnifiedStorage probeTarget;
    private final TimeLimiter limiter;
    private final Duration timeout;
    private final Duration slowProbeThreshold;
    private final LongSupplier nanoTicker;
    private final Clock clock;
    private final Supplier<BreakerState> breaker;
    private final Supplier<CacheStats> cache;
    private final StorageMetrics metrics;
    private final boolean lockingEnabled;

    /**
     * @param probeTarget the storage below the resilience layers (its {@code health()} is the probe)
     * @param breaker     the breaker's state, or {@code null} if there is no breaker
     * @param cache       the cache's figures, or {@code null} if the cache is off
     */
    public LayeredHealth(UnifiedStorage probeTarget, TimeLimiter limiter, Duration timeout,
            Duration slowProbeThreshold, LongSupplier nanoTicker, Clock clock, Supplier<BreakerState> breaker,
            Supplier<CacheStats> cache, StorageMetrics metrics, boolean lockingEnabled) {
        this.probeTarget = Objects.requireNonNull(probeTarget, "probeTarget");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.slowProbeThreshold = Objects.requireNonNull(slowProbeThreshold, "slowProbeThreshold");
        this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.breaker = breaker;
        this.cache = cache;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.lockingEnabled = lockingEnabled;
    }

    /** Probes the backend and reports. Never throws for an unhealthy backend. */
    public HealthReport report() {
        String backend = probeTarget.backendType();
        long started = nanoTicker.getAsLong();
        HealthReport base;
        try {
            base = limiter.call(probeTarget::health, timeout);
        } catch (TimeoutException e) {
            base = down(backend, "The health probe of storage backend '" + backend + "' did not answer within "
                    + Durations.format(timeout) + " (storage.timeout); the backend is hanging or unreachable.");
        } catch (RuntimeException e) {
            base = down(backend, "The health probe of storage backend '" + backend + "' failed: " + e.getMessage());
        }
        Duration measured = Duration.ofNanos(Math.max(0, nanoTicker.getAsLong() - started));
        Duration latency = base.probeLatency().compareTo(measured) >= 0 ? base.probeLatency() : measured;
        HealthReport report = new HealthReport(base.status(), base.backendType(), base.message(), latency,
                base.details(), base.checkedAt()).with(details(latency), null, null);

        if (breaker != null) {
            BreakerState b = breaker.get();
            if (b.state() == BreakerState.State.OPEN) {
                report = report.with(Map.of(), HealthStatus.DOWN, b.failFastMessage(backend));
            } else if (b.state() == BreakerState.State.HALF_OPEN) {
                report = report.with(Map.of(), HealthStatus.DEGRADED, "Storage backend '" + backend
                        + "' recently failed " + b.failures() + " times in a row (circuit half-open); the next call"
                        + " is a probe that closes the circuit if it succeeds.");
            }
        }
        if (latency.compareTo(slowProbeThreshold) > 0) {
            report = report.with(Map.of(), HealthStatus.DEGRADED, "The health probe of storage backend '" + backend
                    + "' took " + latency.toMillis() + "ms, more than " + slowProbeThreshold.toMillis()
                    + "ms: the backend is slow.");
        }
        return report;
    }

    private HealthReport down(String backend, String message) {
        return new HealthReport(HealthStatus.DOWN, backend, message, Duration.ZERO, Map.of(), clock.instant());
    }

    private Map<String, Object> details(Duration latency) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("probe_latency_ms", millis(latency));
        if (breaker != null) {
            BreakerState b = breaker.get();
            d.put("circuit_breaker_state", b.state().tag());
            d.put("circuit_breaker_failures", b.failures());
            d.put("circuit_breaker_retry_in_ms", b.retryIn().toMillis());
        }
        d.put("cache_enabled", cache != null);
        if (cache != null) {
            CacheStats c = cache.get();
            d.put("cache_hit_rate", Math.round(c.hitRate() * 1000) / 1000.0);
            d.put("cache_hits", c.hits());
            d.put("cache_misses", c.misses());
            d.put("cache_size", c.size());
            d.put("cache_evictions", c.evictions());
        }
        StorageMetrics.Totals t = metrics.totals();
        d.put("calls_total", t.calls());
        d.put("calls_failed", t.failures());
        d.put("call_failure_rate", Math.round(t.failureRate() * 1000) / 1000.0);
        d.put("retries", t.retries());
        d.put("timeouts", t.timeouts());
        d.put("circuit_rejections", t.rejections());
        OperationStats slowest = null;
        for (OperationStats s : metrics.snapshot()) {
            if (s.latency().count() > 0 && (slowest == null
                    || s.latency().percentile(0.99).compareTo(slowest.latency().percentile(0.99)) > 0)) {
                slowest = s;
            }
        }
        if (slowest != null) {
            d.put("slowest_operation", slowest.operation().fullName());
            d.put("slowest_operation_p99_ms", millis(slowest.latency().percentile(0.99)));
        }
        d.put("locking_enabled", lockingEnabled);
        return d;
    }

    private static double millis(Duration d) {
        return Math.round(d.toNanos() / 1_000.0) / 1_000.0;
    }
}
