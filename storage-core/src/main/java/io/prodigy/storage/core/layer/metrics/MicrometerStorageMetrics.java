package io.prodigy.storage.core.layer.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.prodigy.storage.core.layer.LayeredStorage;
import io.prodigy.storage.core.layer.breaker.BreakerState;
import io.prodigy.storage.core.layer.intercept.Operation;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Exports a layered storage's metrics to Micrometer. Micrometer is an optional dependency: this is the only class
 * that uses it, and it loads only when the application has {@code micrometer-core} on its class path.
 *
 * <pre>{@code new MicrometerStorageMetrics(StorageLayers.layersOf(storage).orElseThrow()).bindTo(registry);}</pre>
 *
 * <p>Meters (all tagged {@code backend}; per-operation ones also {@code store} and {@code operation}):
 * <ul>
 *   <li>{@code prodigy.storage.calls} (function timer): calls and their total latency;</li>
 *   <li>{@code prodigy.storage.calls.failed}, {@code prodigy.storage.retries}, {@code prodigy.storage.timeouts},
 *       {@code prodigy.storage.circuit.rejections} (function counters);</li>
 *   <li>{@code prodigy.storage.latency.max}, {@code prodigy.storage.latency.p99} (time gauges);</li>
 *   <li>{@code prodigy.storage.errors} (function counter per {@code outcome}, summed over operations);</li>
 *   <li>{@code prodigy.storage.circuit.state} (gauge: 0 closed, 1 half-open, 2 open);</li>
 *   <li>with the cache on: {@code prodigy.storage.cache.hits}, {@code .misses}, {@code .evictions} (counters) and
 *       {@code prodigy.storage.cache.size}, {@code .hit.rate} (gauges).</li>
 * </ul>
 * Micrometer holds the storage weakly: keep the storage referenced while it is in use (as any open storage is).
 */
public final class MicrometerStorageMetrics implements MeterBinder {

    private final LayeredStorage storage;
    private final Tags baseTags;

    public MicrometerStorageMetrics(LayeredStorage storage) {
        this(storage, Tags.empty());
    }

    /** @param extraTags added to every meter (for example the application name) */
    public MicrometerStorageMetrics(LayeredStorage storage, Iterable<Tag> extraTags) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.baseTags = Tags.of(extraTags).and("backend", storage.backendType());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        StorageMetrics metrics = storage.metrics();
        for (Operation op : Operation.values()) {
            OperationMetrics m = metrics.of(op);
            Tags tags = baseTags.and("store", op.store(), "operation", op.method());
            FunctionTimer.builder("prodigy.storage.calls", m, OperationMetrics::calls,
                            OperationMetrics::totalLatencyNanos, TimeUnit.NANOSECONDS)
                    .tags(tags).description("Storage calls and their latency, as the caller saw them")
                    .register(registry);
            FunctionCounter.builder("prodigy.storage.calls.failed", m, OperationMetrics::failures)
                    .tags(tags).description("Storage calls that threw").register(registry);
            FunctionCounter.builder("prodigy.storage.retries", m, OperationMetrics::retries)
                    .tags(tags).description("Retry attempts after transient failures").register(registry);
            FunctionCounter.builder("prodigy.storage.timeouts", m, OperationMetrics::timeouts)
                    .tags(tags).description("Attempts cut off by storage.timeout").register(registry);
            FunctionCounter.builder("prodigy.storage.circuit.rejections", m, OperationMetrics::rejections)
                    .tags(tags).description("Calls failed fast by the open circuit breaker").register(registry);
            TimeGauge.builder("prodigy.storage.latency.max", m, TimeUnit.NANOSECONDS,
                            OperationMetrics::maxLatencyNanos)
                    .tags(tags).description("Slowest call so far").register(registry);
            TimeGauge.builder("prodigy.storage.latency.p99", m, TimeUnit.NANOSECONDS,
                            o -> o.latency().percentile(0.99).toNanos())
                    .tags(tags).description("99th percentile latency (bucket resolution)").register(registry);
        }
        for (Outcome outcome : Outcome.values()) {
            if (outcome == Outcome.SUCCESS) {
                continue;
            }
            FunctionCounter.builder("prodigy.storage.errors", metrics, s -> sumOf(s, outcome))
                    .tags(baseTags.and("outcome", outcome.tag()))
                    .description("Failed storage calls by kind of error").register(registry);
        }
        Gauge.builder("prodigy.storage.circuit.state", storage, s -> circuitLevel(s.circuitBreaker()))
                .tags(baseTags).description("Circuit breaker: 0 closed, 1 half-open, 2 open").register(registry);
        if (storage.cacheStats().isPresent()) {
            FunctionCounter.builder("prodigy.storage.cache.hits", storage, s -> cache(s).hits())
                    .tags(baseTags).register(registry);
            FunctionCounter.builder("prodigy.storage.cache.misses", storage, s -> cache(s).misses())
                    .tags(baseTags).register(registry);
            FunctionCounter.builder("prodigy.storage.cache.evictions", storage, s -> cache(s).evictions())
                    .tags(baseTags).register(registry);
            Gauge.builder("prodigy.storage.cache.size", storage, s -> cache(s).size())
                    .tags(baseTags).register(registry);
            Gauge.builder("prodigy.storage.cache.hit.rate", storage, s -> cache(s).hitRate())
                    .tags(baseTags).register(registry);
        }
    }

    private static double sumOf(StorageMetrics metrics, Outcome outcome) {
        long sum = 0;
        for (Operation op : Operation.values()) {
            sum += metrics.of(op).count(outcome);
        }
        return sum;
    }

    private static double circuitLevel(BreakerState state) {
        return switch (state.state()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static io.prodigy.storage.core.layer.cache.CacheStats cache(LayeredStorage s) {
        return s.cacheStats().orElseThrow();
    }
}
