package io.prodigy.storage.file.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.tck.ProviderContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The provider contract: ServiceLoader discovery, config errors, declared capabilities (durable, multi-process). */
class FileProviderContractTest extends ProviderContract {

    @TempDir
    Path dir;

    @Override
    protected StorageConfig config() {
        return FileStores.config(dir).withBackendOption("enable_file_locks", true);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return provider().open(config(), context);
    }
}
