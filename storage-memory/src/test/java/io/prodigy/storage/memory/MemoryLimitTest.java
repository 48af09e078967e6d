package io.prodigy.storage.memory;

import static io.prodigy.storage.memory.Fixtures.JOB;
import static io.prodigy.storage.memory.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryLimitTest {

    private static final long LIMIT = 8 * 1024;

    private final TestClock clock = new TestClock(T0);
    private final MemoryStorage storage = Fixtures.open(MemoryConfig.withMaxMemory(LIMIT), clock);

    @AfterEach
    void close() {
        storage.close();
    }

    private long used() {
        return (Long) storage.health().details().get("bytes_used");
    }

    private long entries() {
        return (Long) storage.health().details().get("entries");
    }

    private static PersistedSession bigSession(String id, int payloadBytes) {
        return Fixtures.session(id).withMetadata(Map.of("blob", Json.nodes().textNode(Fixtures.text(payloadBytes))));
    }

    /** Saves 1 KB sessions until the store refuses one; returns the ones stored. */
    private List<PersistedSession> fillWithSessions() {
        List<PersistedSession> stored = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            try {
                stored.add(storage.sessions().save(bigSession("s-" + i, 1000)));
            } catch (StorageFullException e) {
                return stored;
            }
        }
        throw new AssertionError("max_memory was never enforced");
    }

    @Test
    void writesPastTheLimitFailAndKeepEverythingStored() {
        List<PersistedSession> stored = fillWithSessions();
        long usedWhenFull = used();

        assertThat(stored).hasSizeBetween(5, 8);
        assertThat(usedWhenFull).isLessThanOrEqualTo(LIMIT);
        String next = "s-" + stored.size();
        assertThatThrownBy(() -> storage.sessions().save(bigSession(next, 1000)))
                .isInstanceOf(StorageFullException.class)
                .satisfies(e -> assertThat(((StorageFullException) e).isRetryable()).isFalse())
                .hasMessageMatching("Memory storage is full: storing session '" + next + "' needs \\d+ more bytes,"
                        + " but " + usedWhenFull + " of the " + LIMIT + " bytes allowed by"
                        + " storage\\.backend_config\\.max_memory are in use\\. Raise max_memory, or delete data"
                        + " \\(purge old events, prune checkpoints, purge DLQ queues, delete sessions\\) and retry\\."
                        + " Nothing was stored\\.");

        assertThat(storage.sessions().list(SessionFilter.ALL)).containsExactlyElementsOf(stored);
        assertThat(storage.sessions().load(next)).isEmpty();
        assertThat(used()).isEqualTo(usedWhenFull);
        assertThat(entries()).isEqualTo(stored.size());
    }

    @Test
    void deletingFreesSpaceForNewWrites() {
        List<PersistedSession> stored = fillWithSessions();
        long usedWhenFull = used();

        assertThat(storage.sessions().delete(stored.get(0).id())).isTrue();

        assertThat(used()).isLessThan(usedWhenFull);
        assertThat(storage.sessions().save(bigSession("fresh", 1000)).revision()).isEqualTo(1);
        stored.subList(1, stored.size()).forEach(s -> storage.sessions().delete(s.id()));
        storage.sessions().delete("fresh");
        assertThat(used()).isZero();
        assertThat(entries()).isZero();
    }

    @Test
    void anUpdateThatGrowsPastTheLimitLeavesTheStoredRevision() {
        PersistedSession small = storage.sessions().save(bigSession("grow", 100));

        assertThatThrownBy(() -> storage.sessions().save(
                small.withMetadata(Map.of("blob", Json.nodes().textNode(Fixtures.text((int) LIMIT))))))
                .isInstanceOf(StorageFullException.class);

        assertThat(storage.sessions().load("grow")).contains(small);
    }

    @Test
    void anEventBatchThatDoesNotFitStoresNoneOfItsEvents() {
        storage.events().append(JOB, List.of(Fixtures.event("e-0", "a_started", T0)));
        long usedBefore = used();
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            batch.add(new NewEvent("e-" + i, T0, "a_progress", Fixtures.json("blob", Fixtures.text(500)), null, null));
        }

        assertThatThrownBy(() -> storage.events().append(JOB, batch))
                .isInstanceOf(StorageFullException.class)
                .hasMessageContaining("storing 20 event(s) for job my-repo/job-1 needs");

        assertThat(storage.events().lastSequence(JOB)).isEqualTo(1);
        assertThat(storage.events().query(EventFilter.forJob(JOB)).count()).isEqualTo(1);
        assertThat(storage.events().aggregate(JOB).totalEvents()).isEqualTo(1);
        assertThat(used()).isEqualTo(usedBefore);
        // A batch that fits still gets the next sequence: the failed one left no gap.
        assertThat(storage.events().append(JOB, batch.subList(0, 2)).firstSequence()).isEqualTo(2);
    }

    @Test
    void purgeAndDeleteJobFreeTheirEventsSpace() {
        for (int i = 0; i < 5; i++) {
            storage.events().append(JOB, List.of(new NewEvent("e-" + i, T0.plusSeconds(i), "a_progress",
                    Fixtures.json("blob", Fixtures.text(500)), null, null)));
        }
        long afterAppends = used();

        assertThat(storage.events().purge(JOB, T0.plusSeconds(2))).isEqualTo(2);
        long afterPurge = used();
        assertThat(afterPurge).isLessThan(afterAppends);
        assertThat(entries()).isEqualTo(3);

        assertThat(storage.events().deleteJob(JOB)).isEqualTo(3);
        assertThat(used()).isZero();
        assertThat(entries()).isZero();
    }

    @Test
    void everyStoreIsBoundedAndFreesItsSpace() {
        storage.sessions().save(bigSession("filler", (int) LIMIT - 1500));
        CheckpointScope scope = CheckpointScope.workflow("wf-1");

        assertThatThrownBy(() -> storage.checkpoints().save(Fixtures.workflowCheckpoint("cp", "wf-1", T0)
                .withState(Fixtures.json("blob", Fixtures.text(2000))))).isInstanceOf(StorageFullException.class);
        assertThatThrownBy(() -> storage.dlq().add(JOB, Fixtures.failure("item", Fixtures.text(2000))))
                .isInstanceOf(StorageFullException.class);
        assertThatThrownBy(() -> storage.workflows().save(Fixtures.workflow("wf-1")
                .withContent(Fixtures.json("blob", Fixtures.text(2000))))).isInstanceOf(StorageFullException.class);
        assertThat(storage.checkpoints().latest(scope)).isEmpty();
        assertThat(storage.dlq().get(JOB, "item")).isEmpty();
        assertThat(storage.workflows().load("wf-1")).isEmpty();

        storage.sessions().delete("filler");
        storage.checkpoints().save(Fixtures.workflowCheckpoint("cp-1", "wf-1", T0));
        storage.checkpoints().save(Fixtures.workflowCheckpoint("cp-2", "wf-1", T0.plusSeconds(1)));
        storage.dlq().add(JOB, Fixtures.failure("item", "e"));
        storage.dlq().claim(JOB, "worker", 1, Duration.ofMinutes(1));
        storage.workflows().save(Fixtures.workflow("wf-1"));
        storage.workflows().recordExecution(new WorkflowExecution("run", "wf-1", T0, null,
                ExecutionStatus.RUNNING, null));
        assertThat(entries()).isEqualTo(5);

        assertThat(storage.checkpoints().prune(scope, 1)).isEqualTo(1);
        assertThat(storage.dlq().purge(JOB)).isEqualTo(1);
        assertThat(storage.checkpoints().delete(scope, "cp-2")).isTrue();
        assertThat(storage.workflows().delete("wf-1")).isTrue();
        assertThat(storage.dlq().list(DlqFilter.forJob(JOB))).isEmpty();
        assertThat(used()).isZero();
        assertThat(entries()).isZero();
    }

    @Test
    void healthDegradesWhenNearlyFull() {
        assertThat(storage.health().status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(storage.health().details()).containsEntry("max_memory", LIMIT).containsEntry("bytes_used", 0L)
                .containsEntry("entries", 0L);

        storage.sessions().save(bigSession("big", (int) (LIMIT * 0.92)));

        assertThat(storage.health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(storage.health().message()).startsWith("Memory storage is nearly full");
    }

    @Test
    void aSnapshotLargerThanTheLimitLoadsWhollyButTakesNoMoreWrites(@TempDir Path dir) {
        Path file = dir.resolve("snapshot.json");
        try (MemoryStorage big = Fixtures.open(MemoryConfig.DEFAULT.persistingTo(file), clock)) {
            big.sessions().save(bigSession("a", 6000));
            big.sessions().save(bigSession("b", 6000));
        }
        try (MemoryStorage small = Fixtures.open(new MemoryConfig(LIMIT, true, file), clock)) {
            assertThat(small.sessions().list(SessionFilter.ALL)).hasSize(2);
            assertThat(small.health().status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(small.health().message()).startsWith("Memory storage is full");
            assertThatThrownBy(() -> small.sessions().save(Fixtures.session("c")))
                    .isInstanceOf(StorageFullException.class);
            small.sessions().delete("a");
            assertThat(small.sessions().save(Fixtures.session("c")).revision()).isEqualTo(1);
        }
    }
}
