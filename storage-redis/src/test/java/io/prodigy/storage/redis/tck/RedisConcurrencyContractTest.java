package io.prodigy.storage.redis.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.redis.RedisTestServer;
import io.prodigy.storage.tck.ConcurrencyContract;

/** Runs {@link ConcurrencyContract} against the shared Redis, under this class's own key prefix, with the client clock. */
class RedisConcurrencyContractTest extends ConcurrencyContract {

    private static final StorageConfig CONFIG =
            RedisTestServer.config(RedisTestServer.newPrefix("Concurrency"), "client");

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return RedisTestServer.open(CONFIG, context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return RedisTestServer.open(CONFIG, context);
    }
}
