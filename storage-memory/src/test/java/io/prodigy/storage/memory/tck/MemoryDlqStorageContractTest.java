package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.DlqStorageContract;

/** Runs {@link DlqStorageContract} against the memory backend. */
class MemoryDlqStorageContractTest extends DlqStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
