package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.EventSubscriptionContract;

/** Runs {@link EventSubscriptionContract} against the memory backend with every layer on. */
class LayeredEventSubscriptionContractTest extends EventSubscriptionContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
