package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.HealthContract;

/** Runs {@link HealthContract} against the memory backend. */
class MemoryHealthContractTest extends HealthContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
