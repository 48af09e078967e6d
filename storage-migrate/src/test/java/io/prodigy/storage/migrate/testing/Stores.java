package io.prodigy.storage.migrate.testing;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.memory.MemoryStorageProvider;
import java.nio.file.Path;
import java.time.Clock;

/** Opens the real backends the migration tests run against. */
public final class Stores {

    private Stores() {}

    public static UnifiedStorage memory() {
        return memory(Clock.systemUTC());
    }

    public static UnifiedStorage memory(Clock clock) {
        return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), new StorageContext(clock, null));
    }

    public static UnifiedStorage file(Path baseDir) {
        return file(baseDir, Clock.systemUTC());
    }

    public static UnifiedStorage file(Path baseDir, Clock clock) {
        return new FileStorageProvider().open(StorageConfig.forBackend("file")
                .withBackendOption("base_dir", baseDir.toString()), new StorageContext(clock, null));
    }
}
