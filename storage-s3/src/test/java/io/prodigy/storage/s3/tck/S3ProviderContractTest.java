package io.prodigy.storage.s3.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.s3.S3TestServer;
import io.prodigy.storage.tck.ProviderContract;

/** Runs {@link ProviderContract} against the S3 backend; {@code reopen} opens the same bucket and prefix again. */
class S3ProviderContractTest extends ProviderContract {

    @Override
    protected StorageConfig config() {
        return S3TestServer.config(S3Tck.prefix(namespace()));
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return provider().open(config(), context);
    }
}
