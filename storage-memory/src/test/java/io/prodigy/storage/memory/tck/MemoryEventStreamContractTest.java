package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.EventStreamContract;

/** Runs {@link EventStreamContract} against the memory backend. */
class MemoryEventStreamContractTest extends EventStreamContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
