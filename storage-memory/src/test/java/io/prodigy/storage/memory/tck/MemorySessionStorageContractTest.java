package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.SessionStorageContract;

/** Runs {@link SessionStorageContract} against the memory backend. */
class MemorySessionStorageContractTest extends SessionStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
