package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A store on a real three-master Redis Cluster started by the test ({@link RedisTestCluster}): opened through a
 * master that does not serve its slot, it finds the one that does; when its slot moves to another master (a resharding,
 * keys and all), the next command's {@code MOVED} points it there and nothing is lost or repeated. The contract classes
 * {@code RedisCluster*ContractTest} run a subset of the kit on a cluster too.
 */
class RedisClusterIT {

    private static RedisTestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new RedisTestCluster();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aStoreFindsTheMasterOfItsSlotAndFollowsTheSlotWhenItMoves() {
        String prefix = "cluster:" + Long.toHexString(System.nanoTime()) + ":";
        JobRef job = JobRef.of("repo", "job-1");
        try (UnifiedStorage s = open(cluster.urlAvoiding(prefix), prefix)) {
            assertThat(s.health().details()).containsEntry("cluster", true)
                    .containsEntry("server", "127.0.0.1:" + cluster.ownerOf(prefix) + "/0");
            LockLease lease = s.locks().tryAcquire("lock-1", Duration.ofMinutes(1)).orElseThrow();
            s.events().append(job, List.of(NewEvent.of("a_started", null), NewEvent.of("a_completed", null)),
                    lease.fence());
            s.dlq().add(job, DlqFailure.of("item-1", null, "boom"));
            int before = cluster.ownerOf(prefix);

            cluster.moveSlotOf(prefix);

            assertThat(cluster.ownerOf(prefix)).isNotEqualTo(before);
            s.events().append(job, List.of(NewEvent.of("b_started", null)), lease.fence());
            assertThat(s.events().lastSequence(job)).isEqualTo(3);
            assertThat(s.health().details()).containsEntry("server", "127.0.0.1:" + cluster.ownerOf(prefix) + "/0");
            List<DlqItem> claimed = s.dlq().claim(job, "w", 5, Duration.ofMinutes(1));
            assertThat(claimed).extracting(DlqItem::itemId).containsExactly("item-1");
            s.dlq().remove(job, "item-1", claimed.get(0).claim().token());
            s.locks().release(lease);
            assertThat(s.locks().tryAcquire("lock-1", Duration.ofMinutes(1)).orElseThrow().fencingToken())
                    .isGreaterThan(lease.fencingToken());
        }
    }

    @Test
    void aDatabaseNumberOtherThanZeroIsRefusedOnACluster() {
        String prefix = "cluster-db:" + Long.toHexString(System.nanoTime()) + ":";
        Throwable t = catchThrowable(() -> open(cluster.urlAvoiding(prefix) + "/1", prefix).close());

        assertThat(t).isInstanceOf(StorageConfigException.class).hasMessageContaining("only database 0").hasMessageNotContaining("password");
        assertThat(((StorageConfigException) t).keyPath()).isEqualTo("storage.backend_config.url");
    }

    private static UnifiedStorage open(String url, String prefix) {
        StorageConfig config = StorageConfig.forBackend("redis").withBackendOption("url", url)
                .withBackendOption("key_prefix", prefix);
        return new RedisStorageProvider().open(config, StorageContext.withoutProject());
    }
}
