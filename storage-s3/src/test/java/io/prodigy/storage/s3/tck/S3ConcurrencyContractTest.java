package io.prodigy.storage.s3.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.ConcurrencyContract;
import java.time.Duration;

/** Runs {@link ConcurrencyContract} against the S3 backend on the test server, in its own namespace. */
class S3ConcurrencyContractTest extends ConcurrencyContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return S3Tck.open(namespace(), context);
    }

    /**
     * The default 3 minutes is for a server on an idle host; each of the 10,000 operations here is one to three S3
     * requests to s3proxy in this JVM, on a shared, loaded CI machine. The operation count and every assertion stay.
     */
    @Override
    protected Duration guard() {
        return Duration.ofMinutes(8);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return S3Tck.open(namespace(), context);
    }
}
