package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The key layout holds what docs/redis.md promises: every key of a store starts with {@code {prefix}} and
 * hashes to one slot (so the scripts also run on a Redis Cluster), no key has an expiry (so {@code volatile-*}
 * eviction cannot touch it), scripts that Redis forgot ({@code SCRIPT FLUSH}, a restart) are loaded again, and
 * deleting every record leaves no index entry behind: only the store's marker, the lock hashes, which keep the
 * tokens, and the index of lock keys, which lists every key ever granted.
 */
class RedisKeyLayoutIT {

    @Test
    void everyKeyIsUnderThePrefixInOneSlotWithoutExpiryAndDeletesLeaveOnlyMarkerLockTokensAndHighWaterMarks() {
        String prefix = RedisTestServer.newPrefix("Layout");
        JobRef job = JobRef.of("repo", "job-1");
        try (UnifiedStorage s = RedisTestServer.open(RedisTestServer.config(prefix, "server"),
                StorageContext.withoutProject());
                Jedis redis = new Jedis(URI.create(RedisTestServer.url()))) {
            redis.scriptFlush();
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            PersistedSession session = s.sessions().save(PersistedSession.create("s1", t).withWorktreeName("wt"));
            s.sessions().updateState("s1", SessionState.IN_PROGRESS);
            s.events().append(job, List.of(NewEvent.of("a_started", null), NewEvent.of("a_completed", null)));
            CheckpointScope scope = CheckpointScope.job(job);
            s.checkpoints().save(Checkpoint.job("c1", job, CheckpointKind.MAP, 1, t, 0, null));
            s.checkpoints().save(Checkpoint.job("c2", job, CheckpointKind.REDUCE, 1, t.plusSeconds(1), 0, null));
            s.dlq().add(job, DlqFailure.of("item-1", null, "boom"));
            DlqItem claimed = s.dlq().claim(job, "w", 1, Duration.ofMinutes(1)).get(0);
            s.workflows().save(new WorkflowDefinition("wf1", "name", "1", t, null, null,
                    new WorkflowMetadata("d", List.of("tag-a", "tag-b"), "ann", Map.of()), 0));
            s.workflows().recordExecution(new WorkflowExecution("x1", "wf1", t, null, ExecutionStatus.RUNNING, null));
            LockLease lease = s.locks().tryAcquire("lock-1", Duration.ofMinutes(1)).orElseThrow();

            Set<String> keys = keys(redis, prefix);
            assertThat(keys).isNotEmpty().allSatisfy(k -> assertThat(k).startsWith("{" + prefix + "}"));
            Set<Integer> slots = new HashSet<>();
            keys.forEach(k -> slots.add(JedisClusterCRC16.getSlot(k)));
            assertThat(slots).as("hash slots of the store's keys").hasSize(1);
            keys.forEach(k -> assertThat(redis.ttl(k)).as("TTL of %s", k).isEqualTo(-1));

            s.sessions().delete(session.id());
            s.events().deleteJob(job);
            s.checkpoints().prune(scope, 0);
            s.dlq().remove(job, "item-1", claimed.claim().token());
            s.workflows().delete("wf1");
            s.locks().release(lease);

            // What stays: the marker, the lock's token and its key in the index of keys ever granted, and the job's
            // high-water mark (sequences are never reused).
            assertThat(keys(redis, prefix)).containsExactlyInAnyOrder("{" + prefix + "}meta",
                    "{" + prefix + "}l/lock-1", "{" + prefix + "}l.held", "{" + prefix + "}e.m/repo/job-1");
            assertThat(redis.zrange("{" + prefix + "}l.held", 0, -1)).containsExactly("lock-1");
            assertThat(redis.hgetAll("{" + prefix + "}e.m/repo/job-1")).containsOnlyKeys("hw");
            assertThat(redis.hget("{" + prefix + "}l/lock-1", "tok")).isEqualTo(Long.toString(lease.fencingToken()));
        }
    }

    private static Set<String> keys(Jedis redis, String prefix) {
        Set<String> out = new TreeSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match("{" + prefix + "}*").count(1000);
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            out.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }
}
