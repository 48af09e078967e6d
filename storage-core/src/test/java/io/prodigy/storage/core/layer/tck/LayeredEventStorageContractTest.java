package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.EventStorageContract;

/** Runs {@link EventStorageContract} against the memory backend with every layer on. */
class LayeredEventStorageContractTest extends EventStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
