package io.prodigy.storage.memory;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.InvalidInputException;
import java.util.Set;

/**
 * Provider of the {@code memory} backend, registered in
 * {@code META-INF/services/io.prodigy.storage.StorageProvider}. Binds {@code storage.backend_config} to
 * {@link MemoryConfig} ({@code max_memory}, {@code persist_to_disk}, {@code persistence_path}).
 */
public final class MemoryStorageProvider implements StorageProvider {

    @Override
    public String name() {
        return MemoryStorage.BACKEND;
    }

    @Override
    public String description() {
        return "In-memory storage for tests and single-process use; optional snapshot to disk on flush/close";
    }

    @Override
    public Set<Capability> capabilities() {
        return MemoryStorage.CAPABILITIES;
    }

    @Override
    public UnifiedStorage open(StorageConfig config, StorageContext context) {
        if (config == null || context == null) {
            throw new InvalidInputException("Opening memory storage needs a StorageConfig and a StorageContext.");
        }
        MemoryConfig memoryConfig = ConfigBinder.bind(config.backendConfig(), MemoryConfig.class,
                MemoryConfig.DEFAULT, "storage.backend_config");
        return MemoryStorage.open(memoryConfig, context);
    }
}
