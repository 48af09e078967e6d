package io.prodigy.storage.migrate.prodigy;

import static io.prodigy.storage.migrate.testing.ProdigyTrees.JOB;
import static io.prodigy.storage.migrate.testing.ProdigyTrees.JOB2;
import static io.prodigy.storage.migrate.testing.ProdigyTrees.LIVE_EVENT_FILE;
import static io.prodigy.storage.migrate.testing.ProdigyTrees.REPO;
import static io.prodigy.storage.migrate.testing.ProdigyTrees.SESSION_SCOPE;
import static io.prodigy.storage.migrate.testing.ProdigyTrees.WORKFLOW_CP;
import static io.prodigy.storage.migrate.testing.ProdigyTrees.WORKFLOW_SESSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.migrate.testing.Files2;
import io.prodigy.storage.migrate.testing.ProdigyEventLines;
import io.prodigy.storage.migrate.testing.ProdigyTrees;
import io.prodigy.storage.migrate.testing.Stores;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProdigyImporterTest {

    private static final JobRef JOB_REF = JobRef.of(REPO, JOB);

    @TempDir
    Path base;

    private UnifiedStorage target;

    @BeforeEach
    void writeTree() {
        ProdigyTrees.writeGlobalTree(base);
        target = Stores.memory();
    }

    @AfterEach
    void close() {
        target.close();
    }

    @Test
    void importsEveryDocumentedFormatWithExactCounts() {
        ImportReport report = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        assertThat(report.layout()).isEqualTo("global");
        assertThat(report.tally(SourceKind.SESSION)).isEqualTo(new Tally(3, 2, 0, 1));
        assertThat(report.tally(SourceKind.EVENT)).isEqualTo(new Tally(12, 9, 0, 3));
        assertThat(report.tally(SourceKind.ORPHANED_WORKTREE)).isEqualTo(new Tally(2, 2, 0, 0));
        assertThat(report.tally(SourceKind.DLQ_ITEM)).isEqualTo(new Tally(4, 3, 0, 1));
        assertThat(report.tally(SourceKind.JOB_STATE)).isEqualTo(new Tally(2, 1, 0, 1));
        assertThat(report.tally(SourceKind.WORKFLOW_CHECKPOINT)).isEqualTo(new Tally(2, 2, 0, 0));
        assertThat(report.tally(SourceKind.REDUCE_CHECKPOINT)).isEqualTo(new Tally(1, 1, 0, 0));
        assertThat(report.tally(SourceKind.RESUME_LOCK)).isEqualTo(new Tally(2, 0, 0, 2));
        assertThat(report.tallies()).doesNotContainKey(SourceKind.MAPREDUCE_CHECKPOINT);
        assertThat(report.conflicts()).isEmpty();
        assertThat(report.totalImported()).isEqualTo(20);
    }

    @Test
    void reportsEverySkippedLineWithFileAndLineNumber() {
        ImportReport report = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        List<String> eventSkips = report.skipped().stream().filter(s -> s.kind() == SourceKind.EVENT)
                .map(SkippedEntry::toString).toList();
        assertThat(eventSkips).hasSize(3);
        assertThat(eventSkips.get(0)).startsWith(LIVE_EVENT_FILE + ":2: not valid JSON");
        assertThat(eventSkips.get(1)).isEqualTo(LIVE_EVENT_FILE + ":6: unknown event type 'map_phase_started'");
        assertThat(eventSkips.get(2)).startsWith(LIVE_EVENT_FILE + ":9: duplicate event id "
                + "0b8d1c52-1111-4c4e-9d61-000000000002");
        assertThat(report.skipped()).anySatisfy(s -> {
            assertThat(s.kind()).isEqualTo(SourceKind.SESSION);
            assertThat(s.file()).isEqualTo(Path.of("sessions/broken.json"));
            assertThat(s.reason()).startsWith("not valid JSON").contains("line 3");
        });
        assertThat(report.skipped()).anySatisfy(s -> {
            assertThat(s.file()).isEqualTo(Path.of("state", REPO, "mapreduce", "jobs", JOB, "checkpoint-v2.json"));
            assertThat(s.reason())
                    .isEqualTo("superseded by checkpoint-v3.json (only the latest job state is imported)");
        });
        assertThat(report.skipped()).filteredOn(s -> s.kind() == SourceKind.OTHER_FILE)
                .extracting(s -> s.file().toString())
                .contains("config.yml", "events/archive", "events/" + REPO + "/" + JOB + "/index.json",
                        "state/" + REPO + "/mapreduce/jobs/" + JOB + "/metadata.json",
                        "state/" + REPO + "/mapreduce/jobs/" + JOB + "/checkpoint-v3.tmp", "worktrees");
        assertThat(report.summary()).contains("sessions/broken.json").contains(LIVE_EVENT_FILE + ":6");
    }

    @Test
    void eventsKeepOrderPayloadAndEveryOriginalField() {
        ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        List<EventRecord> events = events(JOB_REF);
        assertThat(events).extracting(EventRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(events.subList(2, 9)).extracting(EventRecord::id).isEqualTo(ProdigyEventLines.JOB_EVENT_IDS);
        assertThat(events).extracting(EventRecord::eventType).containsExactly("worktree_orphaned",
                "worktree_orphaned", "job_started", "agent_started", "agent_completed", "dlq_item_added",
                "dlq_item_removed", "claude_message", "job_completed");

        EventRecord orphan = events.get(0);
        assertThat(orphan.timestamp()).isEqualTo(Instant.parse("2025-03-10T14:04:59.1Z"));
        assertThat(orphan.agentId()).isEqualTo(JOB + "_agent_1");
        assertThat(orphan.data().path("path").textValue()).endsWith("mapreduce-agent-1");
        assertThat(orphan.data().path("error").textValue()).isEqualTo("cleanup failed: busy");
        events = events.subList(2, 9);

        EventRecord started = events.get(0);
        assertThat(started.timestamp()).isEqualTo(Instant.parse("2025-03-10T14:01:58.411800Z"));
        assertThat(started.correlationId()).isEqualTo("d34de364-0000-4000-8000-00000000c0de");
        assertThat(started.data().path("config").path("max_parallel").intValue()).isEqualTo(10);
        assertThat(started.data().path("_metadata").path("pid").intValue()).isEqualTo(48213);
        assertThat(started.data().has("event_type")).isFalse();

        EventRecord completed = events.get(2);
        assertThat(completed.agentId()).isEqualTo(JOB + "_agent_0");
        assertThat(completed.timestamp()).isEqualTo(Instant.parse("2025-03-10T14:05:02.120Z"));
        assertThat(completed.data().path("duration").toString()).isEqualTo("[183,412000000]");
        assertThat(completed.data().path("duration_ms").longValue()).isEqualTo(183_412);

        EventRecord dlqAdded = events.get(3);
        assertThat(dlqAdded.data().path("_tag").textValue()).isEqualTo("d_l_q_item_added");
        assertThat(dlqAdded.timestamp()).isEqualTo(Instant.parse("2025-03-10T14:05:03.000001Z"));
        EventRecord dlqRemoved = events.get(4);
        assertThat(dlqRemoved.data().has("_tag")).isFalse();
        assertThat(dlqRemoved.timestamp()).isEqualTo(Instant.parse("2025-03-10T14:06:00Z"));

        EventRecord claude = events.get(5);
        assertThat(claude.data().path("content").textValue()).isEqualTo("Done: fixed ☃");
        assertThat(claude.data().has("job_id")).isFalse();

        assertThat(events.get(6).data().path("duration_ms").longValue()).isEqualTo(782_588);

        List<EventRecord> other = events(JobRef.of(SESSION_SCOPE, JOB2));
        assertThat(other).extracting(EventRecord::eventType).containsExactly("agent_failed", "agent_retrying");
        assertThat(other.get(0).timestamp()).isEqualTo(Instant.parse("2025-03-10T15:00:05.123456Z"));
        assertThat(target.events().listJobs(null)).containsExactly(JobRef.of(REPO, JOB),
                JobRef.of(SESSION_SCOPE, JOB2));
    }

    @Test
    void sessionsKeepFieldsWithoutAPlaceInMetadata() {
        ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        PersistedSession s = target.sessions().load(WORKFLOW_SESSION).orElseThrow();
        assertThat(s.state()).isEqualTo(SessionState.COMPLETED);
        assertThat(s.startedAt()).isEqualTo(Instant.parse("2025-03-10T14:01:58.411800Z"));
        assertThat(s.iterationsCompleted()).isEqualTo(2);
        assertThat(s.filesChanged()).isEqualTo(5);
        assertThat(s.worktreeName()).isEqualTo(WORKFLOW_SESSION);
        assertThat(s.metadata().get("execution_start_time").textValue())
                .isEqualTo("2025-03-10T14:01:58.411800709+00:00");
        assertThat(s.metadata().get("total_steps").intValue()).isEqualTo(3);
        var extra = s.metadata().get("_prodigy");
        assertThat(extra.path("session_type").textValue()).isEqualTo("Workflow");
        assertThat(extra.path("updated_at").textValue()).isEqualTo("2025-03-10T14:05:12.120Z");
        assertThat(extra.path("completed_at").textValue()).isEqualTo("2025-03-10T14:05:12.120Z");
        assertThat(extra.path("timings").path("claude: /fix").path("nanos").intValue()).isEqualTo(500_000_000);
        assertThat(extra.path("workflow_data").path("workflow_name").textValue()).isEqualTo("fix-bugs");

        PersistedSession running = target.sessions().load(SESSION_SCOPE).orElseThrow();
        assertThat(running.state()).isEqualTo(SessionState.IN_PROGRESS);
        assertThat(running.startedAt()).isEqualTo(Instant.parse("2025-03-10T15:00:01.123456Z"));
        assertThat(running.worktreeName()).isNull();
        assertThat(target.sessions().list(SessionFilter.ALL)).hasSize(2);
    }

    @Test
    void dlqItemsFromEveryPathVariantAreMergedWithoutLosingAFailure() {
        ImportReport report = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        List<DlqItem> items = target.dlq().list(DlqFilter.forJob(JOB_REF));
        assertThat(items).extracting(DlqItem::itemId).containsExactlyInAnyOrder("item_0", "item-3", "item_7");
        DlqItem merged = target.dlq().get(JOB_REF, "item_0").orElseThrow();
        assertThat(merged.failureHistory()).hasSize(2);
        assertThat(merged.retryCount()).isEqualTo(1);
        assertThat(merged.enqueuedAt()).isEqualTo(Instant.parse("2025-03-10T14:03:00.500Z"));
        assertThat(merged.lastFailedAt()).isEqualTo(Instant.parse("2025-03-10T14:09:30Z"));
        assertThat(merged.lastError()).isEqualTo("Agent execution timed out");
        assertThat(merged.workItem().path("file").textValue()).isEqualTo("src/lib.rs");
        assertThat(merged.failureHistory().get(0).details().path("error_type").path("CommandFailed")
                .path("exit_code").intValue()).isEqualTo(1);
        assertThat(merged.failureHistory().get(1).agentId()).isEqualTo("agent-item_0");
        assertThat(merged.failureHistory().get(1).details().path("json_log_location").textValue())
                .endsWith("y.jsonl");
        assertThat(merged.metadata()).containsEntry("reprocess_eligible", "true")
                .containsEntry("first_attempt", "2025-03-10T14:03:00.500Z")
                .containsEntry("error_signature", "1b2c3d4e5f60718a").containsEntry("failure_count", "1");
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w).contains("item_0").contains("merged"));

        DlqItem validation = target.dlq().get(JOB_REF, "item-3").orElseThrow();
        assertThat(validation.failureHistory().get(0).details().path("error_context").get(0).textValue())
                .isEqualTo("missing field 'file'");
        assertThat(validation.metadata()).containsEntry("manual_review_required", "true")
                .doesNotContainKey("worktree_artifacts");

        DlqItem docs = target.dlq().get(JOB_REF, "item_7").orElseThrow();
        assertThat(docs.workItem().textValue()).isEqualTo("plain string item");
        // The original wrote nanoseconds; the store keeps whole microseconds (InstantRange.PRECISION).
        assertThat(docs.enqueuedAt()).isEqualTo(Instant.parse("2025-03-10T14:04:00Z"));
        assertThat(Json.nodes().objectNode().put("x", docs.metadata().get("worktree_artifacts")).toString())
                .contains("prodigy-mapreduce-agent-7");
    }

    @Test
    void checkpointsOfEveryKindKeepTheirOriginalDocumentAsState() {
        ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        Checkpoint jobState = target.checkpoints().load(CheckpointScope.job(JOB_REF), "checkpoint-v3").orElseThrow();
        assertThat(jobState.kind()).isEqualTo(CheckpointKind.REDUCE);
        assertThat(jobState.formatVersion()).isEqualTo(1);
        assertThat(jobState.stepIndex()).isEqualTo(3);
        assertThat(jobState.createdAt()).isEqualTo(Instant.parse("2025-03-10T14:03:00Z"));
        assertThat(jobState.state().path("checkpoint_version").intValue()).isEqualTo(3);
        assertThat(target.checkpoints().load(CheckpointScope.job(JOB_REF), "checkpoint-v2")).isEmpty();

        Checkpoint wf = target.checkpoints().load(CheckpointScope.workflow(WORKFLOW_SESSION), WORKFLOW_CP)
                .orElseThrow();
        assertThat(wf.kind()).isEqualTo(CheckpointKind.WORKFLOW);
        assertThat(wf.stepIndex()).isEqualTo(2);
        assertThat(wf.completedSteps()).containsExactly(0, 1);
        assertThat(wf.createdAt()).isEqualTo(Instant.parse("2025-03-10T14:05:12.120Z"));
        assertThat(wf.variables()).containsEntry("ARG", "x").containsEntry("__failed_step_index", "2")
                .containsEntry("__error_timestamp", "2025-03-10T14:05:12.120+00:00");
        assertThat(wf.state().path("workflow_path").textValue()).isEqualTo("/home/dev/proj/workflow.yml");
        assertThat(wf.state().path("variable_checkpoint_state").path("environment_snapshot").path("variables")
                .path("GITHUB_TOKEN").textValue()).isEqualTo("ghp_not_a_real_token");

        Checkpoint merge = target.checkpoints().load(CheckpointScope.workflow(REPO),
                "merge-workflow-" + SESSION_SCOPE).orElseThrow();
        assertThat(merge.stepIndex()).isZero();

        Checkpoint reduce = target.checkpoints().load(CheckpointScope.job(JOB_REF),
                "reduce-checkpoint-v1-20250310_141500").orElseThrow();
        assertThat(reduce.kind()).isEqualTo(CheckpointKind.REDUCE);
        assertThat(reduce.stepIndex()).isEqualTo(1);
        assertThat(reduce.variables()).isEqualTo(Map.of("map.successful", "2", "map.failed", "1"));
    }

    @Test
    void environmentSecretsCanBeRedacted() {
        ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT.withRedactedEnvironmentSecrets(true));

        Checkpoint wf = target.checkpoints().load(CheckpointScope.workflow(WORKFLOW_SESSION), WORKFLOW_CP)
                .orElseThrow();
        var vars = wf.state().path("variable_checkpoint_state").path("environment_snapshot").path("variables");
        assertThat(vars.path("GITHUB_TOKEN").textValue()).isEqualTo("****");
        assertThat(vars.path("PATH").textValue()).isEqualTo("/usr/bin");
    }

    @Test
    void resumeLocksAreReportedNeverImported() {
        ImportReport report = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        assertThat(report.resumeLocks()).extracting(ResumeLockFinding::id, ResumeLockFinding::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(WORKFLOW_SESSION, ResumeLockFinding.Status.STALE),
                        org.assertj.core.groups.Tuple.tuple(SESSION_SCOPE, ResumeLockFinding.Status.ACTIVE));
        assertThat(report.warnings()).anySatisfy(w -> assertThat(w).startsWith("resume of " + SESSION_SCOPE
                + " is in progress"));
        assertThat(target.locks().list()).isEmpty();
    }

    @Test
    void importingTwiceWritesNothingTheSecondTime() {
        ImportReport first = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);
        long sessionRevision = target.sessions().load(WORKFLOW_SESSION).orElseThrow().revision();

        ImportReport second = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        assertThat(second.totalImported()).isZero();
        assertThat(second.totalAlreadyPresent()).isEqualTo(first.totalImported());
        assertThat(second.tally(SourceKind.EVENT)).isEqualTo(new Tally(12, 0, 9, 3));
        assertThat(second.conflicts()).isEmpty();
        assertThat(target.events().lastSequence(JOB_REF)).isEqualTo(9);
        assertThat(target.sessions().load(WORKFLOW_SESSION).orElseThrow().revision()).isEqualTo(sessionRevision);
        assertThat(target.dlq().get(JOB_REF, "item_0").orElseThrow().failureHistory()).hasSize(2);
    }

    @Test
    void newLinesAppendedByTheOriginalToolAreImportedAfterTheFirstImport() {
        ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);
        ProdigyTrees.writeGlobalTree(base);
        Files2.lines(base.resolve(LIVE_EVENT_FILE), List.of(
                ProdigyEventLines.E_AGENT_COMPLETED, ProdigyEventLines.E_TORN, "", ProdigyEventLines.E_DLQ_ADDED,
                ProdigyEventLines.E_DLQ_REMOVED_DOCS_SPELLING, ProdigyEventLines.E_UNKNOWN, ProdigyEventLines.E_CLAUDE,
                ProdigyEventLines.E_JOB_COMPLETED, ProdigyEventLines.E_AGENT_STARTED,
                ProdigyEventLines.E_JOB_COMPLETED.replace("000000000008", "000000000009")));

        ImportReport again = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        assertThat(again.conflicts()).isEmpty();
        assertThat(again.tally(SourceKind.EVENT)).isEqualTo(new Tally(13, 1, 9, 3));
        assertThat(target.events().lastSequence(JOB_REF)).isEqualTo(10);
        assertThat(events(JOB_REF).get(9).id()).isEqualTo("0b8d1c52-1111-4c4e-9d61-000000000009");
    }

    @Test
    void aTargetLogThatDiffersFromTheTreeIsAConflictAndNothingIsAppended() {
        target.events().append(JOB_REF, List.of(io.prodigy.storage.event.NewEvent.of("agent_started",
                Json.nodes().objectNode()).withTimestamp(Instant.parse("2025-01-01T00:00:00Z"))));

        ImportReport report = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        assertThat(report.conflicts()).singleElement().asString().startsWith("event log " + JOB_REF)
                .contains("sequence 1 differ").contains("9 event(s) of the job were not copied");
        assertThat(report.tally(SourceKind.EVENT)).isEqualTo(new Tally(12, 2, 0, 10));
        assertThat(target.events().lastSequence(JOB_REF)).isEqualTo(1);
    }

    @Test
    void dryRunWritesNothingAndCountsWhatWouldBeImported() {
        ImportReport report = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT.withDryRun(true));

        assertThat(report.dryRun()).isTrue();
        assertThat(report.totalImported()).isEqualTo(20);
        assertThat(target.sessions().list(SessionFilter.ALL)).isEmpty();
        assertThat(target.events().listJobs(null)).isEmpty();
        assertThat(target.dlq().listJobs(null)).isEmpty();
        assertThat(target.checkpoints().list(io.prodigy.storage.checkpoint.CheckpointFilter.ALL)).isEmpty();
    }

    @Test
    void aDifferentRecordInTheTargetIsAConflictAndIsLeftAlone() {
        PersistedSession mine = target.sessions().save(PersistedSession.create(WORKFLOW_SESSION,
                Instant.parse("2026-01-01T00:00:00Z")));

        ImportReport report = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        assertThat(report.conflicts()).singleElement().asString().startsWith("session " + WORKFLOW_SESSION)
                .contains("differs in").contains("started_at");
        assertThat(report.tally(SourceKind.SESSION)).isEqualTo(new Tally(3, 1, 0, 2));
        assertThat(target.sessions().load(WORKFLOW_SESSION).orElseThrow()).isEqualTo(mine);
    }

    @Test
    void directoriesThatCannotBeRepositoriesAreReportedNotRead() {
        Files2.lines(base.resolve("events/.cache/" + JOB + "/events-1.jsonl"), List.of(ProdigyEventLines.E_CLAUDE));
        Files2.write(base.resolve("state/.cache/mapreduce/jobs/" + JOB + "/checkpoint-v1.json"), "{}");

        ImportReport report = ProdigyImporter.importTree(base, target, ImportOptions.DEFAULT);

        assertThat(report.skipped()).filteredOn(s -> s.file().toString().endsWith(".cache"))
                .extracting(SkippedEntry::reason).containsExactly(
                        "not a repository directory: it starts with '.'",
                        "not a repository directory: it starts with '.'");
        assertThat(report.tally(SourceKind.EVENT).read()).isEqualTo(12);
    }

    private List<EventRecord> events(JobRef job) {
        try (Stream<EventRecord> s = target.events().query(EventFilter.forJob(job))) {
            return s.toList();
        }
    }
}
