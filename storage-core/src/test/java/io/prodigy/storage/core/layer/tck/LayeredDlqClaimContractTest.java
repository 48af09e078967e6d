package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.DlqClaimContract;

/** Runs {@link DlqClaimContract} against the memory backend with every layer on. */
class LayeredDlqClaimContractTest extends DlqClaimContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
