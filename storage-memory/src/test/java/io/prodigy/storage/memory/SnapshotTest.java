package io.prodigy.storage.memory;

import static io.prodigy.storage.memory.Fixtures.JOB;
import static io.prodigy.storage.memory.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(T0);

    private MemoryStorage openPersistent(Path file) {
        return Fixtures.open(MemoryConfig.DEFAULT.persistingTo(file), clock);
    }

    private static List<EventRecord> events(MemoryStorage storage, JobRef job) {
        try (Stream<EventRecord> s = storage.events().query(EventFilter.forJob(job))) {
            return s.toList();
        }
    }

    @Test
    void everyRecordTypeAndTheLockTokensSurviveCloseAndOpen() {
        Path file = dir.resolve("snapshot.json");
        JobRef otherJob = JobRef.of("other-repo", "job-2");
        PersistedSession session;
        Checkpoint workflowCp;
        Checkpoint jobCp;
        DlqItem dlqItem;
        WorkflowDefinition workflow;
        WorkflowExecution execution;
        List<EventRecord> eventsBefore;
        LockLease liveLease;
        long usedBefore;
        try (MemoryStorage storage = openPersistent(file)) {
            session = storage.sessions().save(Fixtures.session("s-1"));
            storage.events().append(JOB, List.of(Fixtures.event("e-1", "agent_started", T0),
                    Fixtures.event("e-2", "agent_completed", T0.plusSeconds(1))));
            storage.events().append(otherJob, List.of(Fixtures.event("e-9", "agent_failed", T0)));
            workflowCp = storage.checkpoints().save(Fixtures.workflowCheckpoint("cp-1", "wf-1", T0));
            jobCp = storage.checkpoints().save(Fixtures.jobCheckpoint("cp-2", JOB, CheckpointKind.REDUCE, T0));
            storage.dlq().add(JOB, Fixtures.failure("item-1", "boom"));
            dlqItem = storage.dlq().add(JOB, Fixtures.failure("item-1", "boom again"));
            workflow = storage.workflows().save(Fixtures.workflow("wf-1"));
            execution = storage.workflows().recordExecution(
                    new WorkflowExecution("run-1", "wf-1", T0, null, ExecutionStatus.RUNNING, null)
                            .finished(ExecutionStatus.COMPLETED, T0.plusSeconds(90)));
            eventsBefore = events(storage, JOB);

            // Token high-water mark of 'released' is 3 although no lease is held any more.
            for (int i = 0; i < 3; i++) {
                storage.locks().release(storage.locks().tryAcquire("released", Duration.ofMinutes(1)).orElseThrow());
            }
            liveLease = storage.locks().tryAcquire("held", Duration.ofMinutes(5)).orElseThrow();
            usedBefore = storage.health().details().get("bytes_used") instanceof Long l ? l : -1;
        }
        assertThat(file).exists();

        try (MemoryStorage reopened = openPersistent(file)) {
            assertThat(reopened.sessions().load("s-1")).contains(session);
            assertThat(events(reopened, JOB)).isEqualTo(eventsBefore);
            assertThat(events(reopened, otherJob)).hasSize(1);
            assertThat(reopened.events().aggregate(JOB).totalEvents()).isEqualTo(2);
            assertThat(reopened.checkpoints().load(CheckpointScope.workflow("wf-1"), "cp-1")).contains(workflowCp);
            assertThat(reopened.checkpoints().load(CheckpointScope.job(JOB), "cp-2")).contains(jobCp);
            assertThat(reopened.dlq().get(JOB, "item-1")).contains(dlqItem);
            assertThat(reopened.dlq().get(JOB, "item-1").orElseThrow().failureHistory()).hasSize(2);
            assertThat(reopened.workflows().load("wf-1")).contains(workflow);
            assertThat(reopened.workflows().listExecutions("wf-1", 0)).containsExactly(execution);
            assertThat(reopened.health().details()).containsEntry("bytes_used", usedBefore);

            // Tokens continue above the persisted high-water marks.
            assertThat(reopened.locks().tryAcquire("released", Duration.ofMinutes(1)).orElseThrow().fencingToken())
                    .isEqualTo(4);
            // The held lease is still held, and its holder can still release it.
            assertThat(reopened.locks().current("held")).contains(liveLease);
            assertThat(reopened.locks().tryAcquire("held", Duration.ofMinutes(1))).isEmpty();
            reopened.locks().release(liveLease);
            assertThat(reopened.locks().tryAcquire("held", Duration.ofMinutes(1)).orElseThrow().fencingToken())
                    .isEqualTo(2);

            // Revisions continue too: the stored session is at revision 1.
            assertThat(reopened.sessions().save(session.withState(SessionState.IN_PROGRESS)).revision())
                    .isEqualTo(2);
        }
    }

    @Test
    void fencingTokensNeverGoBackwardsAcrossARestartAfterForceRelease() {
        Path file = dir.resolve("snapshot.json");
        LockLease zombie;
        try (MemoryStorage storage = openPersistent(file)) {
            zombie = storage.locks().tryAcquire("job-lock", Duration.ofMinutes(1)).orElseThrow();
            storage.locks().forceRelease("job-lock");
        }
        try (MemoryStorage reopened = openPersistent(file)) {
            assertThatThrownBy(() -> reopened.sessions().save(Fixtures.session("s-y"), zombie.fence()))
                    .as("the force-release revoked the zombie's token, and the snapshot kept that")
                    .isInstanceOf(FencingException.class);
            LockLease next = reopened.locks().tryAcquire("job-lock", Duration.ofMinutes(1)).orElseThrow();
            assertThat(next.fencingToken()).isGreaterThan(zombie.fencingToken());
            assertThatThrownBy(() -> reopened.sessions().save(Fixtures.session("s-z"), zombie.fence()))
                    .isInstanceOf(FencingException.class);
            assertThat(reopened.sessions().list(SessionFilter.ALL)).isEmpty();
        }
    }

    @Test
    void eventSequencesContinueAfterThePurgedHighWaterMark() {
        Path file = dir.resolve("snapshot.json");
        try (MemoryStorage storage = openPersistent(file)) {
            storage.events().append(JOB, List.of(Fixtures.event("e-1", "a_started", T0),
                    Fixtures.event("e-2", "a_started", T0), Fixtures.event("e-3", "a_started", T0)));
            assertThat(storage.events().purge(JOB, T0.plusSeconds(1))).isEqualTo(3);
        }
        try (MemoryStorage reopened = openPersistent(file)) {
            assertThat(reopened.events().lastSequence(JOB)).isEqualTo(3);
            var result = reopened.events().append(JOB, List.of(Fixtures.event("e-4", "a_started", T0)));
            assertThat(result.firstSequence()).isEqualTo(4);
        }
    }

    @Test
    void flushWritesASnapshotWhileTheStoreStaysOpen() throws IOException {
        Path file = dir.resolve("snapshot.json");
        Path copy = dir.resolve("copy.json");
        try (MemoryStorage storage = openPersistent(file)) {
            storage.sessions().save(Fixtures.session("s-1"));
            storage.flush();
            Files.copy(file, copy);
            storage.sessions().save(Fixtures.session("s-2"));
        }
        try (MemoryStorage flushed = openPersistent(copy)) {
            assertThat(flushed.sessions().list(SessionFilter.ALL)).extracting(PersistedSession::id)
                    .containsExactly("s-1");
        }
        try (MemoryStorage closed = openPersistent(file)) {
            assertThat(closed.sessions().list(SessionFilter.ALL)).extracting(PersistedSession::id)
                    .containsExactly("s-1", "s-2");
        }
    }

    @Test
    void aSnapshotFileServesOneOpenStoreAtATime() {
        Path file = dir.resolve("snapshot.json");
        try (MemoryStorage first = openPersistent(file)) {
            first.sessions().save(Fixtures.session("s-1"));

            assertThatThrownBy(() -> openPersistent(file))
                    .isInstanceOf(StorageUnavailableException.class)
                    .hasMessage("Memory snapshot '" + file.toAbsolutePath() + "' is in use by another open memory"
                            + " storage (in this or another process). Close that storage first, or give this one its"
                            + " own persistence_path.");
            assertThat(first.sessions().load("s-1")).as("the refused open disturbed nothing").isPresent();
        }
        try (MemoryStorage second = openPersistent(file)) {
            assertThat(second.sessions().load("s-1")).isPresent();
        }
    }

    @Test
    void aFailedOpenReleasesTheSnapshotLock() throws IOException {
        Path file = dir.resolve("snapshot.json");
        Files.writeString(file, "not json");
        assertThatThrownBy(() -> openPersistent(file)).isInstanceOf(CorruptionException.class);

        Files.delete(file);
        try (MemoryStorage storage = openPersistent(file)) {
            assertThat(storage.sessions().list(SessionFilter.ALL)).isEmpty();
        }
    }

    @Test
    void aDirectoryAsPersistencePathHoldsTheDefaultFileName() {
        try (MemoryStorage storage = openPersistent(dir)) {
            storage.sessions().save(Fixtures.session("s-1"));
        }
        assertThat(dir.resolve(MemoryConfig.SNAPSHOT_FILE_NAME)).exists();
        try (MemoryStorage reopened = openPersistent(dir)) {
            assertThat(reopened.sessions().load("s-1")).isPresent();
        }
    }

    @Test
    void aMissingSnapshotStartsEmptyAndMissingDirectoriesAreCreated() {
        Path file = dir.resolve("a/b/snapshot.json");
        try (MemoryStorage storage = openPersistent(file)) {
            assertThat(storage.sessions().list(SessionFilter.ALL)).isEmpty();
            storage.dlq().add(JOB, Fixtures.failure("i-1", "e"));
        }
        assertThat(file).exists();
    }

    @Test
    void writesLeaveNoTemporaryFilesAndStrayOnesAreRemovedOnOpen() throws IOException {
        Path file = dir.resolve("snapshot.json");
        Path stray = dir.resolve("snapshot.json.12345.tmp");
        Files.writeString(stray, "half-written");
        Path unrelated = dir.resolve("notes.tmp");
        Files.writeString(unrelated, "keep me");

        try (MemoryStorage storage = openPersistent(file)) {
            storage.sessions().save(Fixtures.session("s-1"));
            storage.flush();
        }

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("snapshot.json", "snapshot.json.lock", "notes.tmp");
        }
    }

    @Test
    void aGarbledSnapshotFailsWithCorruptionNamingThePath() throws IOException {
        Path file = dir.resolve("snapshot.json");
        Files.writeString(file, "{\"format\": 1, \"sessions\": [ {\"id\": ", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> openPersistent(file))
                .isInstanceOf(CorruptionException.class)
                .hasMessageStartingWith("Memory snapshot '" + file.toAbsolutePath() + "' cannot be loaded: ")
                .hasMessageEndingWith(". Move the file aside to start with an empty store, or restore it from a"
                        + " backup.");
        assertThat(Files.readString(file)).startsWith("{\"format\": 1"); // left alone for inspection
    }

    @Test
    void anEmptySnapshotFileIsCorrupt() throws IOException {
        Path file = dir.resolve("snapshot.json");
        Files.writeString(file, "");

        assertThatThrownBy(() -> openPersistent(file))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(file.toAbsolutePath().toString());
    }

    @Test
    void aSnapshotWithAnInvalidRecordIsCorrupt() throws IOException {
        Path file = dir.resolve("snapshot.json");
        Files.writeString(file, "{\"format\":1,\"sessions\":[{\"id\":\"../escape\",\"state\":\"PAUSED\","
                + "\"started_at\":\"2026-03-01T10:00:00Z\"}]}");

        assertThatThrownBy(() -> openPersistent(file))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("'../escape'");
    }

    @Test
    void aSnapshotWithEventsAboveTheirHighWaterMarkIsCorrupt() throws IOException {
        Path file = dir.resolve("snapshot.json");
        Files.writeString(file, "{\"format\":1,\"event_logs\":[{\"job\":{\"repository\":\"r\",\"job_id\":\"j\"},"
                + "\"high_water_sequence\":1,\"events\":[{\"job\":{\"repository\":\"r\",\"job_id\":\"j\"},"
                + "\"sequence\":2,\"id\":\"e\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"event_type\":\"t\"}]}]}");

        assertThatThrownBy(() -> openPersistent(file))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("holds sequence 2 above its high-water mark 1");
    }

    @Test
    void anUnknownLayoutVersionIsRefused() throws IOException {
        Path file = dir.resolve("snapshot.json");
        Files.writeString(file, "{\"format\": 99}");

        assertThatThrownBy(() -> openPersistent(file))
                .isInstanceOf(CorruptionException.class)
                .hasMessage("Memory snapshot '" + file.toAbsolutePath() + "' cannot be loaded: it has layout version"
                        + " 99, but this version reads only version 1. Move the file aside to start with an empty"
                        + " store, or restore it from a backup.");
    }

    @Test
    void theSnapshotUsesTheSharedSnakeCaseJson() throws IOException {
        Path file = dir.resolve("snapshot.json");
        try (MemoryStorage storage = openPersistent(file)) {
            storage.sessions().save(Fixtures.session("s-1"));
            storage.dlq().add(JOB, Fixtures.failure("item-1", "boom"));
        }
        String json = Files.readString(file);
        assertThat(json).contains("\"format\":1", "\"started_at\":\"2026-03-01T10:00:00Z\"", "\"worktree_name\"",
                "\"dlq_items\"", "\"highest_tokens\"");
    }

    @Test
    void aListedDlqQueueSurvivesWithItsFilter() {
        Path file = dir.resolve("snapshot.json");
        try (MemoryStorage storage = openPersistent(file)) {
            storage.dlq().add(JOB, Fixtures.failure("a", "x"));
            clock.advance(Duration.ofSeconds(1));
            storage.dlq().add(JOB, Fixtures.failure("b", "x"));
        }
        try (MemoryStorage reopened = openPersistent(file)) {
            assertThat(reopened.dlq().list(DlqFilter.forJob(JOB))).extracting(DlqItem::itemId)
                    .containsExactly("a", "b");
            assertThat(reopened.dlq().listJobs(null)).containsExactly(JOB);
        }
    }
}
