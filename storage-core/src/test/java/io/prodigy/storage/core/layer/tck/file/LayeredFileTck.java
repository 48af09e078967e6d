package io.prodigy.storage.core.layer.tck.file;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.StorageLayers;
import io.prodigy.storage.file.FileStorageProvider;
import java.nio.file.Path;

/**
 * How every layered file contract test opens its storage: the file backend in the test's directory, wrapped by
 * {@link StorageLayers} with every layer on (metrics, read cache, circuit breaker, retry, timeout, locking).
 */
final class LayeredFileTck {

    private LayeredFileTck() {}

    static UnifiedStorage open(Path dir, StorageContext context) {
        StorageConfig config = StorageConfig.forBackend("file").withBackendOption("base_dir", dir.toString())
                .withCache(true, CacheConfig.DEFAULT).withLocking(true);
        UnifiedStorage file = new FileStorageProvider().open(config, context);
        return StorageLayers.decorate(file, config, context);
    }
}
