package io.prodigy.storage.core.layer.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.DlqStorageContract;

/** Runs {@link DlqStorageContract} against the memory backend with every layer on. */
class LayeredDlqStorageContractTest extends DlqStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return LayeredTck.open(context);
    }
}
