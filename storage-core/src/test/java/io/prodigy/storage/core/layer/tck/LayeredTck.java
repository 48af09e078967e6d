package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.StorageLayers;
import io.prodigy.storage.memory.MemoryStorageProvider;

/**
 * How every layered contract test opens its storage: the memory backend wrapped by {@link StorageLayers} with every
 * layer on (metrics, read cache, circuit breaker, retry with the default policy, timeout, locking), so that the
 * layers are proven not to change any contract of the SPI.
 */
final class LayeredTck {

    static final StorageConfig ALL_LAYERS = StorageConfig.forBackend("memory")
            .withCache(true, CacheConfig.DEFAULT)
            .withLocking(true);

    private LayeredTck() {}

    static UnifiedStorage open(StorageContext context) {
        UnifiedStorage memory = new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
        return StorageLayers.decorate(memory, ALL_LAYERS, context);
    }
}
