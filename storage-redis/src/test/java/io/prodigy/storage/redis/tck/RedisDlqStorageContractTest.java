package io.prodigy.storage.redis.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.redis.RedisTestServer;
import io.prodigy.storage.tck.DlqStorageContract;

/**
 * Runs {@link DlqStorageContract} against the shared Redis with the client clock, under the class's namespace as key
 * prefix; the keys are dropped after the class.
 */
class RedisDlqStorageContractTest extends DlqStorageContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return RedisTestServer.open(RedisTestServer.config(RedisTestServer.prefixOf(namespace()), "client"), context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return open(context);
    }

    @Override
    protected void cleanUpNamespace(String namespace) {
        RedisTestServer.dropPrefix(RedisTestServer.prefixOf(namespace));
    }
}
