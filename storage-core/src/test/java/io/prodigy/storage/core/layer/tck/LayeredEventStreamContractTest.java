package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.EventStreamContract;
import org.junit.jupiter.api.BeforeEach;

/** Runs {@link EventStreamContract} against the memory backend with every layer on. */
class LayeredEventStreamContractTest extends EventStreamContract {

    /**
     * Opens the test's storage before the contract's worker threads first ask for it: the harness opens it lazily
     * without synchronization, so two threads could each open a (separate, for memory) storage and split the appends.
     */
    @BeforeEach
    void openBeforeConcurrentUse() {
        storage();
    }

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
