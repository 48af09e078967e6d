package io.prodigy.storage.redis.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.HighWaterContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs {@link HighWaterContract} against a durable Redis of its own ({@link DurableRedis}): the restart tests,
 * which the shared server without persistence skips, run here across a SIGKILL of the server.
 */
class RedisDurableHighWaterContractTest extends HighWaterContract {

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
    protected UnifiedStorage open(StorageContext context) {
        return redis.open(namespace(), context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return redis.reopen(previous, namespace(), context);
    }
}
