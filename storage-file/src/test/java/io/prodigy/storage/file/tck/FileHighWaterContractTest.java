package io.prodigy.storage.file.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.HighWaterContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The HighWater contract against the file backend, in a fresh directory per test. */
class FileHighWaterContractTest extends HighWaterContract {

    @TempDir
    Path dir;

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return FileStores.open(dir, context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return FileStores.open(dir, context);
    }
}
