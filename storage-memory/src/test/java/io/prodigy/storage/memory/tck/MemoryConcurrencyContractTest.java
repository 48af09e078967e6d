package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.ConcurrencyContract;

/** Runs {@link ConcurrencyContract} against the memory backend. */
class MemoryConcurrencyContractTest extends ConcurrencyContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
