package io.prodigy.storage.redis.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.LockServiceContract;

/** Runs {@link LockServiceContract} on a real three-master Redis Cluster ({@link ClusterRedis}), with the client clock. */
class RedisClusterLockServiceContractTest extends LockServiceContract {

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return ClusterRedis.open(namespace(), context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return open(context);
    }
}
