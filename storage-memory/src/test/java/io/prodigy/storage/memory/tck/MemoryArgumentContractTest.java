package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.ArgumentContract;

/** Runs {@link ArgumentContract} against the memory backend. */
class MemoryArgumentContractTest extends ArgumentContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
