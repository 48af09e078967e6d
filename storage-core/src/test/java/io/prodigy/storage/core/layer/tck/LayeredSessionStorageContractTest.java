package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.SessionStorageContract;

/** Runs {@link SessionStorageContract} against the memory backend with every layer on. */
class LayeredSessionStorageContractTest extends SessionStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
