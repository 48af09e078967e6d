package io.prodigy.storage.s3.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.CheckpointStorageContract;

/** Runs {@link CheckpointStorageContract} against the S3 backend on the test server, in its own namespace. */
class S3CheckpointStorageContractTest extends CheckpointStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return S3Tck.open(namespace(), context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return S3Tck.open(namespace(), context);
    }
}
