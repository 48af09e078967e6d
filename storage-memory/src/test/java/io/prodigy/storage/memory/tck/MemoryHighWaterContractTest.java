package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.HighWaterContract;

/** Runs {@link HighWaterContract} against the memory backend. */
class MemoryHighWaterContractTest extends HighWaterContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
