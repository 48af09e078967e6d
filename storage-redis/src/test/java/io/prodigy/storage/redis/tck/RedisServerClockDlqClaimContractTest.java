package io.prodigy.storage.redis.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.redis.RedisTestServer;
import io.prodigy.storage.tck.DlqClaimContract;

/**
 * Runs {@link DlqClaimContract} with the default server clock: every expiry is decided by Redis {@code TIME} inside the
 * scripts (the tests that move a client clock are skipped, the real-time ones run).
 */
class RedisServerClockDlqClaimContractTest extends DlqClaimContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return RedisTestServer.open(RedisTestServer.config(RedisTestServer.prefixOf(namespace()), "server"), context);
    }

    @Override
    protected void cleanUpNamespace(String namespace) {
        RedisTestServer.dropPrefix(RedisTestServer.prefixOf(namespace));
    }
}
