package io.prodigy.storage.core.layer;

import io.prodigy.storage.Capability;
import io.prodigy.storage.Limits;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.breaker.BreakerState;
import io.prodigy.storage.core.layer.breaker.CircuitBreakerInterceptor;
import io.prodigy.storage.core.layer.cache.CacheStats;
import io.prodigy.storage.core.layer.cache.CachingStorage;
import io.prodigy.storage.core.layer.health.LayeredHealth;
import io.prodigy.storage.core.layer.metrics.StorageMetrics;
import io.prodigy.storage.core.layer.timeout.TimeLimiter;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A storage wrapped in the cross-cutting layers by {@link StorageLayers#decorate}. It behaves as the backend does,
 * plus retries, timeouts, the circuit breaker, the optional read cache and locking switch, and it exposes what the
 * layers observe: {@link #metrics()}, {@link #circuitBreaker()}, {@link #cacheStats()}; {@link #health()} includes
 * them.
 */
public final class LayeredStorage implements UnifiedStorage {

    private final UnifiedStorage backend;
    private final UnifiedStorage top;
    private final StorageConfig config;
    private final StorageMetrics metrics;
    private final CircuitBreakerInterceptor breaker;
    private final CachingStorage cache;
    private final TimeLimiter limiter;
    private final LayeredHealth health;
    private final AtomicBoolean closed = new AtomicBoolean();

    LayeredStorage(UnifiedStorage backend, UnifiedStorage top, StorageConfig config, StorageMetrics metrics,
            CircuitBreakerInterceptor breaker, CachingStorage cache, TimeLimiter limiter, LayeredHealth health) {
        this.backend = backend;
        this.top = top;
        this.config = config;
        this.metrics = metrics;
        this.breaker = breaker;
        this.cache = cache;
        this.limiter = limiter;
        this.health = health;
    }

    /** The built-in metrics: per-operation calls by outcome, latency histograms, retries, timeouts, rejections. */
    public StorageMetrics metrics() {
        return metrics;
    }

    /** The circuit breaker's state now. */
    public BreakerState circuitBreaker() {
        return breaker.state();
    }

    /** The read cache's figures, or empty when {@code enable_cache} is false. */
    public Optional<CacheStats> cacheStats() {
        return cache == null ? Optional.empty() : Optional.of(cache.stats());
    }

    /** The configuration the layers were built from. */
    public StorageConfig config() {
        return config;
    }

    /** The undecorated backend (calls on it bypass every layer). */
    public UnifiedStorage backend() {
        return backend;
    }

    @Override
    public String backendType() {
        return backend.backendType();
    }

    @Override
    public Set<Capability> capabilities() {
        return backend.capabilities();
    }

    @Override
    public Instant now() {
        return backend.now();
    }

    @Override
    public Limits limits() {
        return backend.limits();
    }

    @Override
    public SessionStorage sessions() {
        return top.sessions();
    }

    @Override
    public EventStorage events() {
        return top.events();
    }

    @Override
    public CheckpointStorage checkpoints() {
        return top.checkpoints();
    }

    @Override
    public DlqStorage dlq() {
        return top.dlq();
    }

    @Override
    public WorkflowStorage workflows() {
        return top.workflows();
    }

    @Override
    public LockService locks() {
        return top.locks();
    }

    /** The backend's report, probed within the timeout, extended by the layers (see {@link LayeredHealth}). */
    @Override
    public HealthReport health() {
        return health.report();
    }

    @Override
    public void flush() {
        top.flush();
    }

    /** Closes the backend, then the timeout layer's threads. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                top.close();
            } finally {
                limiter.close();
            }
        }
    }

    @Override
    public String toString() {
        return "LayeredStorage[" + backend.backendType() + ", cache=" + (cache != null) + ", locking="
                + config.enableLocking() + "]";
    }
}
