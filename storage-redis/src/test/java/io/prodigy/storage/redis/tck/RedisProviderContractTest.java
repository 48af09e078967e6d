package io.prodigy.storage.redis.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.redis.RedisTestServer;
import io.prodigy.storage.tck.ProviderContract;

/** Runs {@link ProviderContract} against the shared Redis with the client clock, under the class's namespace. */
class RedisProviderContractTest extends ProviderContract {

    @Override
    protected StorageConfig config() {
        RedisTestServer.require();
        return RedisTestServer.config(RedisTestServer.prefixOf(namespace()), "client");
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return provider().open(config(), context);
    }

    @Override
    protected void cleanUpNamespace(String namespace) {
        RedisTestServer.dropPrefix(RedisTestServer.prefixOf(namespace));
    }
}
