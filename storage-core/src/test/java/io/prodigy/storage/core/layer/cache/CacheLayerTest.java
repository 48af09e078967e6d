package io.prodigy.storage.core.layer.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.layer.LayerFixture;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.tck.TestClock;
import io.prodigy.storage.tck.fault.Fault;
import io.prodigy.storage.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CacheLayerTest {

    private static final CacheConfig SMALL = new CacheConfig(100, Duration.ofMinutes(10), "memory");

    private static LayerFixture cached(CacheConfig cache) {
        StorageConfig config = LayerFixture.config().withRetryPolicy(RetryPolicy.NONE).withCache(true, cache);
        return LayerFixture.with(config);
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static PersistedSession storedSession(LayerFixture f) {
        return f.storage.sessions().save(PersistedSession.create(id("session"), TestClock.DEFAULT_START));
    }

    @Test
    void aSecondReadIsServedFromTheCache() {
        try (LayerFixture f = cached(SMALL)) {
            PersistedSession s = f.memory.sessions().save(PersistedSession.create(id("session"),
                    TestClock.DEFAULT_START));

            assertThat(f.storage.sessions().load(s.id())).contains(s);
            assertThat(f.storage.sessions().load(s.id())).contains(s);

            assertThat(f.faults.callCount("sessions.load")).isEqualTo(1);
            CacheStats stats = f.storage.cacheStats().orElseThrow();
            assertThat(stats.hits()).isEqualTo(1);
            assertThat(stats.misses()).isEqualTo(1);
            assertThat(stats.hitRate()).isEqualTo(0.5);
        }
    }

    @Test
    void aReaderNeverSeesAStaleValueAfterItsOwnWrite() {
        try (LayerFixture f = cached(SMALL)) {
            PersistedSession s = storedSession(f);
            f.storage.sessions().load(s.id());

            PersistedSession updated = f.storage.sessions().save(s.withState(SessionState.IN_PROGRESS));
            assertThat(f.storage.sessions().load(s.id())).contains(updated);

            PersistedSession paused = f.storage.sessions().updateState(s.id(), SessionState.PAUSED);
            assertThat(f.storage.sessions().load(s.id())).contains(paused);
            assertThat(paused.revision()).isEqualTo(3);

            assertThat(f.storage.sessions().delete(s.id())).isTrue();
            assertThat(f.storage.sessions().load(s.id())).isEmpty();
        }
    }

    @Test
    void aWriteThatFailedDropsTheEntryBecauseItMayHaveBeenApplied() {
        try (LayerFixture f = cached(SMALL)) {
            PersistedSession s = storedSession(f);
            f.storage.sessions().load(s.id());
            f.faults.inject(Fault.on("sessions.save").onCall(1).failAfterApplying(Fault.LOST_REPLY));

            assertThatThrownBy(() -> f.storage.sessions().save(s.withState(SessionState.FAILED)))
                    .isInstanceOf(StorageUnavailableException.class);

            assertThat(f.storage.sessions().load(s.id())).hasValueSatisfying(
                    loaded -> assertThat(loaded.state()).isEqualTo(SessionState.FAILED));
        }
    }

    @Test
    void writesByAnotherProcessAreSeenOnlyAfterTheTtl() {
        try (LayerFixture f = cached(new CacheConfig(100, Duration.ofMinutes(1), "memory"))) {
            PersistedSession s = storedSession(f);
            assertThat(f.storage.sessions().load(s.id())).contains(s);

            // "Another process": a write that does not go through this cache.
            PersistedSession elsewhere = f.memory.sessions().save(s.withState(SessionState.COMPLETED));

            assertThat(f.storage.sessions().load(s.id())).as("within the ttl").contains(s);
            f.time.clock().advance(Duration.ofSeconds(61));
            assertThat(f.storage.sessions().load(s.id())).as("after the ttl").contains(elsewhere);
        }
    }

    @Test
    void theCacheHoldsAtMostMaxEntries() {
        try (LayerFixture f = cached(new CacheConfig(3, Duration.ofHours(1), "memory"))) {
            for (int i = 0; i < 10; i++) {
                PersistedSession s = storedSession(f);
                f.storage.sessions().load(s.id());
            }

            CacheStats stats = f.storage.cacheStats().orElseThrow();
            assertThat(stats.size()).isLessThanOrEqualTo(3);
            assertThat(stats.evictions()).isGreaterThanOrEqualTo(7);
            assertThat(stats.maxEntries()).isEqualTo(3);
        }
    }

    @Test
    void missingRecordsAreNotCached() {
        try (LayerFixture f = cached(SMALL)) {
            String id = id("session");
            assertThat(f.storage.sessions().load(id)).isEmpty();
            f.memory.sessions().save(PersistedSession.create(id, TestClock.DEFAULT_START));

            assertThat(f.storage.sessions().load(id)).isPresent();
        }
    }

    @Test
    void callersCannotChangeCachedCopies() {
        try (LayerFixture f = cached(SMALL)) {
            ObjectNode meta = Json.nodes().objectNode().put("owner", "alice");
            PersistedSession s = f.storage.sessions().save(PersistedSession.create(id("session"),
                    TestClock.DEFAULT_START).withMetadata(Map.of("info", meta)));

            ((ObjectNode) f.storage.sessions().load(s.id()).orElseThrow().metadata().get("info")).put("owner", "eve");
            ((ObjectNode) s.metadata().get("info")).put("owner", "mallory");

            JsonNode info = f.storage.sessions().load(s.id()).orElseThrow().metadata().get("info");
            assertThat(info.get("owner").asText()).isEqualTo("alice");
        }
    }

    @Test
    void checkpointLoadsAndLatestAreCachedAndFollowWrites() {
        try (LayerFixture f = cached(SMALL)) {
            String workflow = id("wf");
            CheckpointScope scope = CheckpointScope.workflow(workflow);
            Checkpoint first = f.storage.checkpoints().save(checkpoint(workflow, "cp-1", 1));
            assertThat(f.storage.checkpoints().latest(scope)).contains(first);
            assertThat(f.storage.checkpoints().latest(scope)).contains(first);
            assertThat(f.faults.callCount("checkpoints.latest")).isEqualTo(1);

            Checkpoint second = f.storage.checkpoints().save(checkpoint(workflow, "cp-2", 2));
            assertThat(f.storage.checkpoints().latest(scope)).as("save drops the scope's latest").contains(second);
            assertThat(f.storage.checkpoints().load(scope, "cp-2")).contains(second);
            assertThat(f.faults.callCount("checkpoints.load")).as("save filled the entry").isZero();

            assertThat(f.storage.checkpoints().delete(scope, "cp-2")).isTrue();
            assertThat(f.storage.checkpoints().load(scope, "cp-2")).isEmpty();
            assertThat(f.storage.checkpoints().latest(scope)).contains(first);

            f.storage.checkpoints().save(checkpoint(workflow, "cp-3", 3));
            f.storage.checkpoints().load(scope, "cp-1");
            assertThat(f.storage.checkpoints().prune(scope, 1)).isEqualTo(1);
            assertThat(f.storage.checkpoints().load(scope, "cp-1")).as("prune drops the scope").isEmpty();
        }
    }

    @Test
    void workflowDefinitionsAreCachedAndFollowWrites() {
        try (LayerFixture f = cached(SMALL)) {
            WorkflowDefinition saved = f.storage.workflows().save(new WorkflowDefinition(id("wf"), "build", "1.0",
                    TestClock.DEFAULT_START, null, Json.nodes().objectNode().put("steps", 3), null, 0));
            assertThat(f.storage.workflows().load(saved.id())).contains(saved);
            assertThat(f.faults.callCount("workflows.load")).isZero();

            WorkflowDefinition changed = f.storage.workflows().save(
                    saved.withContent(Json.nodes().objectNode().put("steps", 4)));
            assertThat(f.storage.workflows().load(saved.id())).contains(changed);

            f.storage.workflows().delete(saved.id());
            assertThat(f.storage.workflows().load(saved.id())).isEmpty();
        }
    }

    @Test
    void withTheCacheOffThereAreNoCacheStats() {
        try (LayerFixture f = LayerFixture.with(LayerFixture.config())) {
            assertThat(f.storage.cacheStats()).isEmpty();
            PersistedSession s = storedSession(f);
            f.storage.sessions().load(s.id());
            f.storage.sessions().load(s.id());
            assertThat(f.faults.callCount("sessions.load")).isEqualTo(2);
        }
    }

    private static Checkpoint checkpoint(String workflowId, String id, long millis) {
        return Checkpoint.workflow(id, workflowId, TestClock.DEFAULT_START.plusMillis(millis), 1, List.of(0),
                Map.of("k", "v"), Json.nodes().objectNode().put("step", 1));
    }
}
