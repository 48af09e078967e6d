package io.prodigy.storage.redis.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.tck.ProviderContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs {@link ProviderContract} against a durable Redis of its own ({@link DurableRedis}): the restart test,
 * which the shared server without persistence skips, runs here across a SIGKILL of the server.
 */
class RedisDurableProviderContractTest extends ProviderContract {

    private static DurableRedis redis;

    @BeforeAll
    static void startServer() {
        redis = new DurableRedis();
    }

    @AfterAll
    static void stopServer() {
        try {
            assertThat(redis.restarts()).as("server restarts under the contract's restart tests").isPositive();
        } finally {
            redis.close();
        }
    }

    @Override
    protected StorageConfig config() {
        return redis.config(namespace());
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        redis.restartIfClosed(previous);
        return provider().open(config(), context);
    }
}
