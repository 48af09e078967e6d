package io.prodigy.storage.core.layer.tck.file;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.EventStreamContract;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link EventStreamContract} against the file backend with every layer on, in a fresh directory per test. */
class LayeredFileEventStreamContractTest extends EventStreamContract {

    @TempDir
    Path dir;

    /** Opens the storage before the contract's worker threads first ask for it (the harness opens it lazily). */
    @BeforeEach
    void openBeforeConcurrentUse() {
        storage();
    }

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredFileTck.open(dir, context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return LayeredFileTck.open(dir, context);
    }
}
