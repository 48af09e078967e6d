package io.prodigy.storage.core.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.memory.MemoryStorageProvider;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.tck.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The entry point with its production defaults (real thread pool, real clock) over the memory backend. */
class StorageLayersTest {

    private static UnifiedStorage memory() {
        return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), StorageContext.system());
    }

    @Test
    void decoratesWithTheProductionDefaultsAndBehavesLikeTheBackend() {
        StorageConfig config = StorageConfig.forBackend("memory").withCache(true, CacheConfig.DEFAULT);
        try (UnifiedStorage storage = StorageLayers.decorate(memory(), config, StorageContext.system())) {
            PersistedSession saved = storage.sessions().save(PersistedSession.create("session-1",
                    TestClock.DEFAULT_START));

            assertThat(storage.sessions().load("session-1")).contains(saved);
            assertThat(storage.backendType()).isEqualTo("memory");
            assertThat(storage.sessions()).isSameAs(storage.sessions());
            assertThat(StorageLayers.layersOf(storage)).hasValueSatisfying(layers -> {
                assertThat(layers.metrics().of(Operation.SESSIONS_SAVE).calls()).isEqualTo(1);
                assertThat(layers.cacheStats()).isPresent();
            });
        }
    }

    @Test
    void refusesToDecorateTwice() {
        try (LayeredStorage once = StorageLayers.decorate(memory(), StorageConfig.forBackend("memory"),
                StorageContext.system(), LayerOptions.DEFAULT)) {
            assertThatThrownBy(() -> StorageLayers.decorate(once, StorageConfig.forBackend("memory"),
                    StorageContext.system())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closeClosesTheBackendAndTheTimeLimiterAndIsIdempotent() {
        VirtualTime limiter = new VirtualTime();
        UnifiedStorage backend = memory();
        LayeredStorage storage = StorageLayers.decorate(backend, StorageConfig.forBackend("memory"),
                StorageContext.system(), LayerOptions.DEFAULT.withTimeLimiter(limiter));

        storage.close();
        storage.close();

        assertThat(limiter.isClosed()).isTrue();
        assertThatThrownBy(() -> storage.sessions().load("session-1")).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> backend.sessions().load("session-1")).isInstanceOf(StorageException.class);
    }

    @Test
    void theLogLineNamesEveryLayerInOrder() {
        StorageConfig config = StorageConfig.forBackend("memory").withCache(true, CacheConfig.DEFAULT)
                .withLocking(false).withTimeout(Duration.ofSeconds(20));

        assertThat(StorageLayers.describe(config, LayerOptions.DEFAULT)).isEqualTo(
                "metrics → cache (1000 entries, ttl 1h) → circuit breaker (opens after 5 failures, probes after 10s)"
                        + " → retry (3 retries, 1s × 2.0 up to 30s, jitter) → timeout 20s → locking disabled");
        assertThat(StorageLayers.describe(StorageConfig.forBackend("memory").withRetryPolicy(RetryPolicy.NONE),
                LayerOptions.DEFAULT)).doesNotContain("retry").doesNotContain("cache");
    }
}
