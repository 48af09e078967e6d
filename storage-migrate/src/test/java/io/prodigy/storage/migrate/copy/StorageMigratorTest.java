package io.prodigy.storage.migrate.copy;

import static io.prodigy.storage.migrate.testing.SampleData.DLQ_JOB;
import static io.prodigy.storage.migrate.testing.SampleData.HOLES;
import static io.prodigy.storage.migrate.testing.SampleData.LONG_JOB;
import static io.prodigy.storage.migrate.testing.SampleData.PURGED_PREFIX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.migrate.MigrationException;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.testing.SampleData;
import io.prodigy.storage.migrate.testing.Stores;
import io.prodigy.storage.migrate.verify.RecordDigests;
import io.prodigy.storage.migrate.verify.VerificationReport;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.tck.fault.Fault;
import io.prodigy.storage.tck.fault.FaultInjectingStorage;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageMigratorTest {

    @TempDir
    Path dir;

    private UnifiedStorage source;
    private UnifiedStorage files;

    @BeforeEach
    void open() {
        source = Stores.memory();
        SampleData.populate(source);
        files = Stores.file(dir);
    }

    @AfterEach
    void close() {
        source.close();
        files.close();
    }

    @Test
    void memoryToFileToMemoryRoundTripEqualsTheOriginalExactly() {
        CopyReport first = new StorageMigrator(source, files).copy(CopyOptions.DEFAULT);
        assertThat(first.ok()).isTrue();
        assertThat(first.counts(RecordType.SESSION)).isEqualTo(new TypeCounts(3, 3, 0, 0,
                first.counts(RecordType.SESSION).bytes()));
        assertThat(first.counts(RecordType.EVENT).copied()).isEqualTo(1210);
        assertThat(first.counts(RecordType.WORKFLOW_EXECUTION).copied()).isEqualTo(2);
        assertThat(first.counts(RecordType.DLQ_ITEM).copied()).isEqualTo(2);
        assertThat(first.counts(RecordType.CHECKPOINT).copied()).isEqualTo(3);
        assertThat(first.verification().ok()).isTrue();

        try (UnifiedStorage back = Stores.memory()) {
            CopyReport second = new StorageMigrator(files, back).copy(CopyOptions.DEFAULT);
            assertThat(second.ok()).isTrue();

            VerificationReport same = new StorageMigrator(source, back).verify();
            assertThat(same.ok()).as(same.summary()).isTrue();
            assertThat(same.notes()).isEmpty();
            assertSameRecords(source, back);
        }
    }

    @Test
    void sequenceNumbersAndHighWaterMarksOfPurgedLogsAreReproduced() {
        new StorageMigrator(source, files).copy(CopyOptions.DEFAULT);

        assertThat(sequences(files, PURGED_PREFIX)).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(files.events().lastSequence(PURGED_PREFIX)).isEqualTo(10);
        assertThat(sequences(files, HOLES)).containsExactly(1L, 2L, 3L, 6L, 7L);
        assertThat(files.events().lastSequence(HOLES)).isEqualTo(8);
        assertThat(events(files, HOLES).get(3).agentId()).isEqualTo("agent-5");
        long next = files.events().append(HOLES, List.of(NewEvent.of("job_paused", null))).firstSequence();
        assertThat(next).isEqualTo(9);
    }

    @Test
    void anInterruptedCopyResumesWithoutDuplicates() {
        FaultInjectingStorage target = FaultInjectingStorage.wrap(files);
        target.inject(Fault.on("events.append").onCall(2).failUnavailable());
        assertThatThrownBy(() -> new StorageMigrator(source, target).copy(CopyOptions.DEFAULT))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(files.events().lastSequence(LONG_JOB)).isEqualTo(500);

        target.clearFaults();
        CopyReport resumed = new StorageMigrator(source, target).copy(CopyOptions.DEFAULT);

        assertThat(resumed.counts(RecordType.EVENT).alreadyPresent()).isEqualTo(500);
        assertThat(resumed.counts(RecordType.EVENT).copied()).isEqualTo(710);
        assertThat(resumed.counts(RecordType.SESSION).alreadyPresent()).isEqualTo(3);
        assertThat(resumed.counts(RecordType.DLQ_ITEM).alreadyPresent()).isEqualTo(2);
        assertThat(resumed.verification().ok()).isTrue();
        assertThat(sequences(files, LONG_JOB)).hasSize(1200).doesNotHaveDuplicates();
    }

    @Test
    void aHalfReplayedDlqHistoryIsCompleted() {
        FaultInjectingStorage target = FaultInjectingStorage.wrap(files);
        target.inject(Fault.on("dlq.add").onCall(2).failUnavailable());
        assertThatThrownBy(() -> new StorageMigrator(source, target).copy(CopyOptions.DEFAULT))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(files.dlq().get(DLQ_JOB, "item_0").orElseThrow().failureHistory()).hasSize(1);

        target.clearFaults();
        CopyReport resumed = new StorageMigrator(source, target).copy(CopyOptions.DEFAULT);

        assertThat(resumed.counts(RecordType.DLQ_ITEM).copied()).isEqualTo(2);
        DlqItem item = files.dlq().get(DLQ_JOB, "item_0").orElseThrow();
        assertThat(item.failureHistory()).extracting(f -> f.error()).containsExactly("first", "second", "third");
        assertThat(RecordDigests.same(item, source.dlq().get(DLQ_JOB, "item_0").orElseThrow())).isTrue();
    }

    @Test
    void placeholdersLeftByAnInterruptedGapReproductionAreCleanedUp() {
        FaultInjectingStorage target = FaultInjectingStorage.wrap(files);
        target.inject(Fault.on("events.purge").onCall(1).failUnavailable());
        assertThatThrownBy(() -> new StorageMigrator(source, target).copy(CopyOptions.DEFAULT))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(sequences(files, PURGED_PREFIX)).startsWith(1L, 2L);

        target.clearFaults();
        CopyReport resumed = new StorageMigrator(source, target).copy(CopyOptions.DEFAULT);

        assertThat(resumed.verification().ok()).as(resumed.summary()).isTrue();
        assertThat(sequences(files, PURGED_PREFIX)).containsExactly(6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void verificationDetectsATamperedRecord() {
        new StorageMigrator(source, files).copy(CopyOptions.DEFAULT);
        PersistedSession s = files.sessions().load("session-2").orElseThrow();
        files.sessions().save(s.withMetadata(Map.of("tampered", Json.nodes().booleanNode(true))));
        files.dlq().add(HOLES, DlqFailure.of("item-1", null, "tampered").withAt(Instant.now()));

        VerificationReport report = new StorageMigrator(source, files).verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.mismatches()).extracting(m -> m.type() + " " + m.key()).containsExactlyInAnyOrder(
                "SESSION session-2", "DLQ_ITEM item-1");
        assertThat(report.mismatches().get(0).problem()).startsWith("content differs");
        assertThat(report.rows()).filteredOn(r -> !r.matches()).extracting(r -> r.group())
                .containsExactlyInAnyOrder("*", HOLES.toString());
        assertThat(report.summary()).startsWith("Verification FAILED");
    }

    @Test
    void verificationDetectsATamperedEventLog() {
        new StorageMigrator(source, files).copy(CopyOptions.DEFAULT);
        files.events().append(PURGED_PREFIX, List.of(NewEvent.of("job_failed", null)));

        VerificationReport report = new StorageMigrator(source, files).verify();

        assertThat(report.mismatches()).extracting(m -> m.group() + " " + m.key()).containsExactlyInAnyOrder(
                PURGED_PREFIX + " log", PURGED_PREFIX + " last sequence");
        assertThat(report.mismatches().get(0).problem()).startsWith("the target has extra event");
    }

    @Test
    void refusesToStartWhileTheSourceHasLiveLeasesUnlessForced() {
        source.locks().tryAcquire("resume:session-1", Duration.ofMinutes(5)).orElseThrow();
        source.dlq().claim(DLQ_JOB, "worker-1", 1, Duration.ofMinutes(5));

        assertThatThrownBy(() -> new StorageMigrator(source, files).copy(CopyOptions.DEFAULT))
                .isInstanceOf(MigrationException.class)
                .hasMessageStartingWith("The source memory store is in use: 2 live lease(s) or claim(s): lock"
                        + " 'resume:session-1' held by")
                .hasMessageContaining("1 claimed DLQ item(s) in " + DLQ_JOB);
        assertThat(files.sessions().list(SessionFilter.ALL)).isEmpty();

        CopyReport forced = new StorageMigrator(source, files).copy(CopyOptions.DEFAULT.withForce(true));
        assertThat(forced.ok()).isTrue();
        assertThat(forced.warnings()).singleElement().asString().startsWith("copied although the source has 2");
        assertThat(files.locks().list()).isEmpty();
        assertThat(files.dlq().get(DLQ_JOB, "item_0").orElseThrow().claim()).isNull();
    }

    @Test
    void dryRunWritesNothing() {
        CopyReport report = new StorageMigrator(source, files).copy(CopyOptions.DEFAULT.withDryRun(true));

        assertThat(report.dryRun()).isTrue();
        assertThat(report.verification()).isNull();
        assertThat(report.counts(RecordType.EVENT).copied()).isEqualTo(1210);
        assertThat(report.counts(RecordType.SESSION).copied()).isEqualTo(3);
        assertThat(files.sessions().list(SessionFilter.ALL)).isEmpty();
        assertThat(files.events().listJobs(null)).isEmpty();
        assertThat(files.dlq().listJobs(null)).isEmpty();
    }

    @Test
    void aTargetJobWithDifferentEventsFailsClearlyAndTheRestIsCopied() {
        files.events().append(HOLES, List.of(NewEvent.of("job_started", null)));

        assertThatThrownBy(() -> new StorageMigrator(source, files).copy(CopyOptions.DEFAULT))
                .isInstanceOf(CopyFailedException.class)
                .hasMessageStartingWith("1 record(s) could not be copied because the target already holds different"
                        + " data (first: event log " + HOLES + ": the events at sequence 1 differ")
                .satisfies(e -> {
                    CopyReport r = ((CopyFailedException) e).report();
                    assertThat(r.counts(RecordType.EVENT).conflicts()).isEqualTo(5);
                    assertThat(r.counts(RecordType.EVENT).copied()).isEqualTo(1205);
                    assertThat(r.counts(RecordType.SESSION).copied()).isEqualTo(3);
                });
        assertThat(files.events().lastSequence(HOLES)).isEqualTo(1);
    }

    @Test
    void progressReportsRecordsAndBytesPerType() {
        List<CopyProgress> updates = new ArrayList<>();

        new StorageMigrator(source, files).copy(CopyOptions.DEFAULT.withProgress(updates::add));

        CopyProgress lastEvent = updates.stream().filter(p -> p.type() == RecordType.EVENT)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(lastEvent.recordsDone()).isEqualTo(1210);
        assertThat(lastEvent.recordsTotal()).isEqualTo(1210);
        assertThat(lastEvent.fraction()).isEqualTo(1.0);
        assertThat(lastEvent.bytesDone()).isGreaterThan(1210L * 50);
        assertThat(updates).filteredOn(p -> p.type() == RecordType.SESSION).extracting(CopyProgress::recordsDone)
                .containsExactly(1L, 2L, 3L);
        assertThat(updates).extracting(CopyProgress::type).contains(RecordType.WORKFLOW,
                RecordType.WORKFLOW_EXECUTION, RecordType.CHECKPOINT, RecordType.DLQ_ITEM);
    }

    @Test
    void copyingIntoItselfIsRefused() {
        assertThatThrownBy(() -> new StorageMigrator(source, source))
                .hasMessageContaining("are the same store");
    }

    /** Everything but the store-managed fields (revision, updated_at, write ids, claims) is equal, record by record. */
    private static void assertSameRecords(UnifiedStorage expected, UnifiedStorage actual) {
        for (PersistedSession s : expected.sessions().list(SessionFilter.ALL)) {
            PersistedSession copy = actual.sessions().load(s.id()).orElseThrow();
            assertThat(copy).usingRecursiveComparison().ignoringFields("updatedAt", "revision", "writeId")
                    .isEqualTo(s);
        }
        for (WorkflowInfo w : expected.workflows().list(WorkflowFilter.ALL)) {
            assertThat(actual.workflows().load(w.id()).orElseThrow()).usingRecursiveComparison()
                    .ignoringFields("updatedAt", "revision", "writeId")
                    .isEqualTo(expected.workflows().load(w.id()).orElseThrow());
            assertThat(actual.workflows().listExecutions(w.id(), 0))
                    .isEqualTo(expected.workflows().listExecutions(w.id(), 0));
        }
        for (CheckpointInfo info : expected.checkpoints().list(CheckpointFilter.ALL)) {
            Checkpoint c = expected.checkpoints().load(info.scope(), info.id()).orElseThrow();
            assertThat(actual.checkpoints().load(info.scope(), info.id()).orElseThrow().withRevision(c.revision())
                    .withWriteId(c.writeId())).isEqualTo(c);
        }
        for (JobRef job : expected.dlq().listJobs(null)) {
            assertThat(actual.dlq().list(DlqFilter.forJob(job))).isEqualTo(expected.dlq().list(DlqFilter.forJob(job)));
        }
        assertThat(actual.events().listJobs(null)).isEqualTo(expected.events().listJobs(null));
        for (JobRef job : expected.events().listJobs(null)) {
            assertThat(events(actual, job)).isEqualTo(events(expected, job));
            assertThat(actual.events().lastSequence(job)).isEqualTo(expected.events().lastSequence(job));
        }
    }

    private static List<Long> sequences(UnifiedStorage s, JobRef job) {
        return events(s, job).stream().map(EventRecord::sequence).toList();
    }

    private static List<EventRecord> events(UnifiedStorage s, JobRef job) {
        try (Stream<EventRecord> events = s.events().query(EventFilter.forJob(job))) {
            return events.toList();
        }
    }
}
