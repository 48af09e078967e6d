package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.CheckpointStorageContract;

/** Runs {@link CheckpointStorageContract} against the memory backend with every layer on. */
class LayeredCheckpointStorageContractTest extends CheckpointStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
