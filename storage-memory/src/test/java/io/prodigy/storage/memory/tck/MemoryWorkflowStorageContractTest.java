package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.WorkflowStorageContract;

/** Runs {@link WorkflowStorageContract} against the memory backend. */
class MemoryWorkflowStorageContractTest extends WorkflowStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
