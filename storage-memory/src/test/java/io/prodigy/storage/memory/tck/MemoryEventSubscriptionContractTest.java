package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.EventSubscriptionContract;

/** Runs {@link EventSubscriptionContract} against the memory backend. */
class MemoryEventSubscriptionContractTest extends EventSubscriptionContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
