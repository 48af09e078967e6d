package io.prodigy.storage.core.layer.tck.file;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.DlqStorageContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link DlqStorageContract} against the file backend with every layer on, in a fresh directory per test. */
class LayeredFileDlqStorageContractTest extends DlqStorageContract {

    @TempDir
    Path dir;

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredFileTck.open(dir, context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return LayeredFileTck.open(dir, context);
    }
}
