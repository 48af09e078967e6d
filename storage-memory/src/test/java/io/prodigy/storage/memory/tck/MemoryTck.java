package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.memory.MemoryStorageProvider;

/** How every TCK contract opens the memory backend: through its provider, with a fresh default configuration. */
final class MemoryTck {

    private MemoryTck() {}

    static UnifiedStorage open(StorageContext context) {
        return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
    }
}
