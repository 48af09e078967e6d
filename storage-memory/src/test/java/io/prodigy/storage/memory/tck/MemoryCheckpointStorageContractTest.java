package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.CheckpointStorageContract;

/** Runs {@link CheckpointStorageContract} against the memory backend. */
class MemoryCheckpointStorageContractTest extends CheckpointStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
