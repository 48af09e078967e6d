package io.prodigy.storage.redis.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.redis.RedisTestServer;
import io.prodigy.storage.tck.ProviderContract;

/** Runs {@link ProviderContract} against the shared Redis, under this class's own key prefix, with the client clock. */
class RedisProviderContractTest extends ProviderContract {

    private static final StorageConfig CONFIG =
            RedisTestServer.config(RedisTestServer.newPrefix("Provider"), "client");

    @Override
    protected StorageConfig config() {
        RedisTestServer.require();
        return CONFIG;
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return provider().open(config(), context);
    }
}
