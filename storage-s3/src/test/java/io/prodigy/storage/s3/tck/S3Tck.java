package io.prodigy.storage.s3.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.s3.S3StorageProvider;
import io.prodigy.storage.s3.S3TestServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How every TCK contract opens the S3 backend: through its provider, on the shared test server, under one key prefix
 * per test class (the namespace), so a reopen in the same class sees the same data and classes never meet.
 */
final class S3Tck {

    private static final Map<Class<?>, String> NAMESPACES = new ConcurrentHashMap<>();

    private S3Tck() {}

    static String namespace(Class<?> testClass) {
        return NAMESPACES.computeIfAbsent(testClass, c -> S3TestServer.namespace(c.getSimpleName()));
    }

    static UnifiedStorage open(Class<?> testClass, StorageContext context) {
        return new S3StorageProvider().open(S3TestServer.config(namespace(testClass)), context);
    }
}
