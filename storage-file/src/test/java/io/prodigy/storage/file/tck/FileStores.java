package io.prodigy.storage.file.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.file.FileStorageProvider;
import java.nio.file.Path;

/** Opens file stores for the contract tests: one fresh directory per test, reopened over the same directory. */
final class FileStores {

    private FileStores() {}

    static StorageConfig config(Path dir) {
        return StorageConfig.forBackend("file").withBackendOption("base_dir", dir.toString());
    }

    static UnifiedStorage open(Path dir, StorageContext context) {
        return new FileStorageProvider().open(config(dir), context);
    }
}
