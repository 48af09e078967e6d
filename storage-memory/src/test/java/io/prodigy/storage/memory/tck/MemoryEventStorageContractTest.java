package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.EventStorageContract;

/** Runs {@link EventStorageContract} against the memory backend. */
class MemoryEventStorageContractTest extends EventStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
