package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.LockServiceContract;

/** Runs {@link LockServiceContract} against the memory backend. */
class MemoryLockServiceContractTest extends LockServiceContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
