package io.prodigy.storage.redis.tck;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.redis.RedisStorageProvider;
import io.prodigy.storage.redis.RedisTestCluster;
import io.prodigy.storage.redis.RedisTestServer;

/**
 * One real three-master Redis Cluster ({@link RedisTestCluster}) for the contract classes that run on a cluster,
 * started on first use and stopped when the test JVM exits. A store is opened through a master that does not serve
 * its key prefix's slot, so every class also proves that the store finds the master that does.
 */
final class ClusterRedis {

    private static RedisTestCluster cluster;

    private ClusterRedis() {}

    private static synchronized RedisTestCluster cluster() {
        if (cluster == null) {
            RedisTestCluster started = new RedisTestCluster();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "redis-test-cluster-stop"));
            cluster = started;
        }
        return cluster;
    }

    /** The contract kit's store of {@code namespace} on the cluster, with the client clock. */
    static UnifiedStorage open(String namespace, StorageContext context) {
        String prefix = RedisTestServer.prefixOf(namespace);
        return new RedisStorageProvider().open(RedisTestServer.config(prefix, "client", cluster().urlAvoiding(prefix)),
                context);
    }
}
