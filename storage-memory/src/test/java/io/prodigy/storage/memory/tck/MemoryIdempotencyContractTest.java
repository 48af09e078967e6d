package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.IdempotencyContract;

/** Runs {@link IdempotencyContract} against the memory backend. */
class MemoryIdempotencyContractTest extends IdempotencyContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
