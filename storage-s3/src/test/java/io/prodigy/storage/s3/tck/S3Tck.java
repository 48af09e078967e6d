package io.prodigy.storage.s3.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.s3.S3StorageProvider;
import io.prodigy.storage.s3.S3TestServer;

/**
 * How every TCK contract opens the S3 backend: through its provider, on the shared test server, under the contract
 * class's namespace as key prefix, so a reopen in the same class sees the same data and classes never meet.
 */
final class S3Tck {

    private S3Tck() {}

    /** The key prefix of a TCK namespace. */
    static String prefix(String namespace) {
        return "it/" + namespace + "/";
    }

    static UnifiedStorage open(String namespace, StorageContext context) {
        return new S3StorageProvider().open(S3TestServer.config(prefix(namespace)), context);
    }
}
