package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.ConcurrencyContract;

/** Runs {@link ConcurrencyContract} against the memory backend with every layer on. */
class LayeredConcurrencyContractTest extends ConcurrencyContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
