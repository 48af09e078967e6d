package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.LockServiceContract;

/** Runs {@link LockServiceContract} against the memory backend with every layer on. */
class LayeredLockServiceContractTest extends LockServiceContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
