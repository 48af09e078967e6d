package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.WorkflowStorageContract;

/** Runs {@link WorkflowStorageContract} against the memory backend with every layer on. */
class LayeredWorkflowStorageContractTest extends WorkflowStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
