package io.prodigy.storage.memory.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.DlqClaimContract;

/** Runs {@link DlqClaimContract} against the memory backend. */
class MemoryDlqClaimContractTest extends DlqClaimContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return MemoryTck.open(context);
    }
}
