package io.prodigy.storage.core.layer;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.Durations;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.breaker.CircuitBreakerInterceptor;
import io.prodigy.storage.core.layer.cache.CachingStorage;
import io.prodigy.storage.core.layer.health.LayeredHealth;
import io.prodigy.storage.core.layer.intercept.InterceptingStorage;
import io.prodigy.storage.core.layer.intercept.InterceptorChain;
import io.prodigy.storage.core.layer.intercept.StorageInterceptor;
import io.prodigy.storage.core.layer.locking.LockingDisabledStorage;
import io.prodigy.storage.core.layer.metrics.MetricsInterceptor;
import io.prodigy.storage.core.layer.metrics.StorageMetrics;
import io.prodigy.storage.core.layer.retry.BackoffSchedule;
import io.prodigy.storage.core.layer.retry.RetryInterceptor;
import io.prodigy.storage.core.layer.timeout.ExecutorTimeLimiter;
import io.prodigy.storage.core.layer.timeout.TimeLimiter;
import io.prodigy.storage.core.layer.timeout.TimeoutInterceptor;
import io.prodigy.storage.support.deadline.BoundedWaits;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps any backend in the cross-cutting layers, so that no backend implements them itself.
 *
 * <p><b>Order</b>, outermost first (a call passes them top to bottom):
 * <ol>
 *   <li><b>metrics</b>: counts every call by outcome and records its latency, as the caller sees it;</li>
 *   <li><b>cache</b> ({@code enable_cache}): serves reads of sessions, checkpoints and workflow definitions; a hit
 *       skips every layer below;</li>
 *   <li><b>circuit breaker</b>: fails fast while the backend is known to be down; counts a call as failed only after
 *       the retry layer gave up on it;</li>
 *   <li><b>retry</b> ({@code retry_policy}): repeats retry-safe calls that failed with a retryable error;</li>
 *   <li><b>timeout</b> ({@code timeout}): bounds each attempt: inside the backend on the caller's thread when it
 *       declares {@link BoundedWaits}, else on a pool thread;</li>
 *   <li><b>locking switch</b> ({@code enable_locking: false}): no-op locks, fences dropped;</li>
 *   <li>the backend.</li>
 * </ol>
 * Health is not a layer in the chain: {@link LayeredStorage#health()} probes the backend directly (within the
 * timeout, never blocked by the breaker) and adds what the layers know.
 */
public final class StorageLayers {

    private static final Logger LOG = LoggerFactory.getLogger(StorageLayers.class);

    private StorageLayers() {}

    /** Applies the layers {@code config} enables, with {@link LayerOptions#DEFAULT}. */
    public static UnifiedStorage decorate(UnifiedStorage storage, StorageConfig config, StorageContext context) {
        return decorate(storage, config, context, LayerOptions.DEFAULT);
    }

    /**
     * Applies the layers {@code config} enables.
     *
     * @return a {@link LayeredStorage}; closing it closes {@code storage}
     * @throws IllegalArgumentException if {@code storage} is already layered (the layers would apply twice)
     */
    public static LayeredStorage decorate(UnifiedStorage storage, StorageConfig config, StorageContext context,
            LayerOptions options) {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        if (storage instanceof LayeredStorage) {
            throw new IllegalArgumentException("This storage already has its layers; decorating it again would retry,"
                    + " time and count every call twice.");
        }
        String backendType = storage.backendType();
        StorageMetrics metrics = new StorageMetrics();
        TimeLimiter limiter = options.timeLimiter() != null ? options.timeLimiter()
                : new ExecutorTimeLimiter(backendType, options.maxConcurrentCalls());

        UnifiedStorage below = config.enableLocking() ? storage : new LockingDisabledStorage(storage, context.clock());

        CircuitBreakerInterceptor breaker = new CircuitBreakerInterceptor(options.circuitFailureThreshold(),
                options.circuitOpenDelay(), context.clock(), metrics, backendType);
        List<StorageInterceptor> resilience = new ArrayList<>();
        resilience.add(breaker);
        if (config.retryPolicy().maxRetries() > 0) {
            resilience.add(new RetryInterceptor(new BackoffSchedule(config.retryPolicy(), options.jitterRandom()),
                    storage.capabilities(), options.sleeper(), metrics));
        }
        // A backend that bounds its own waits runs on the caller's thread; an injected limiter (tests) decides always.
        resilience.add(options.timeLimiter() == null && storage instanceof BoundedWaits
                ? TimeoutInterceptor.inBackend(config.timeout(), metrics, backendType)
                : TimeoutInterceptor.through(limiter, config.timeout(), metrics, backendType));
        MetricsInterceptor metering = new MetricsInterceptor(metrics, options.nanoTicker());

        UnifiedStorage top;
        CachingStorage cache = null;
        if (config.enableCache()) {
            cache = new CachingStorage(new InterceptingStorage(below, InterceptorChain.of(resilience)),
                    config.cacheConfig(), context.clock());
            top = new InterceptingStorage(cache, InterceptorChain.of(metering));
        } else {
            List<StorageInterceptor> all = new ArrayList<>();
            all.add(metering);
            all.addAll(resilience);
            top = new InterceptingStorage(below, InterceptorChain.of(all));
        }
        CachingStorage cacheRef = cache;
        LayeredHealth health = new LayeredHealth(below, limiter, config.timeout(), options.slowProbeThreshold(),
                options.nanoTicker(), context.clock(), breaker::state, cacheRef == null ? null : cacheRef::stats,
                metrics, config.enableLocking());
        LOG.info("Storage backend '{}' layers: {}", backendType, describe(config, options));
        return new LayeredStorage(storage, top, config, metrics, breaker, cache, limiter, health);
    }

    /** The layers of {@code storage}, if it was decorated by {@link #decorate}. */
    public static Optional<LayeredStorage> layersOf(UnifiedStorage storage) {
        return storage instanceof LayeredStorage layered ? Optional.of(layered) : Optional.empty();
    }

    /** One line listing the layers and their settings, for the log. */
    static String describe(StorageConfig config, LayerOptions options) {
        RetryPolicy r = config.retryPolicy();
        CacheConfig c = config.cacheConfig();
        return "metrics"
                + (config.enableCache() ? " → cache (" + c.maxEntries() + " entries, ttl " + Durations.format(c.ttl())
                        + ")" : "")
                + " → circuit breaker (opens after " + options.circuitFailureThreshold() + " failures, probes after "
                + Durations.format(options.circuitOpenDelay()) + ")"
                + (r.maxRetries() > 0 ? " → retry (" + r.maxRetries() + " retries, " + Durations.format(r.initialDelay())
                        + " × " + r.backoffMultiplier() + " up to " + Durations.format(r.maxDelay())
                        + (r.jitter() ? ", jitter" : "") + ")" : "")
                + " → timeout " + Durations.format(config.timeout())
                + (config.enableLocking() ? "" : " → locking disabled");
    }
}
