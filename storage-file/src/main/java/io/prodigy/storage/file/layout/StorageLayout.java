package io.prodigy.storage.file.layout;

import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Path;

/**
 * Every path of the global store, in one place (documented in docs/file-layout.md). Path segments only ever come
 * from ids validated by {@link Ids#check} (through the API records, and again here), so no path can escape the base
 * directory.
 *
 * <pre>
 * {base}/layout.json
 * {base}/sessions/{session_id}.json
 * {base}/events/{repo}/{job_id}/events-{yyyyMMdd_HHmmss}-{first_seq}.jsonl          (active segment)
 * {base}/events/{repo}/{job_id}/events-{ts}-{first_seq}-{last_seq}.jsonl[.gz]       (sealed segment)
 * {base}/events/{repo}/{job_id}/events-{ts}-{first_seq}-{last_seq}.index.json       (sealed segment's index)
 * {base}/events/{repo}/archive/{job_id}/events_archive_{ts}-{n}.jsonl[.gz]
 * {base}/dlq/{repo}/{job_id}/items/{item_id}.json
 * {base}/state/{repo}/mapreduce/jobs/{job_id}/setup-checkpoint-{id}.json | map-checkpoint-{ts}-{id}.json
 *                                                | reduce-checkpoint-v{version}-{ts}-{id}.json
 * {base}/workflow_checkpoints/{workflow_id}/{id}.checkpoint.json
 * {base}/workflows/{workflow_id}.json
 * {base}/workflow_executions/{workflow_id}/{execution_id}.json
 * {base}/locks/{key}.lock
 * {base}/orphaned_worktrees/{repo}/, {base}/logs/{repo}/, {base}/resume_locks/  (the original tool's; not written here)
 * </pre>
 *
 * Each directory whose records need read-check-write atomicity has a {@code .guard} file used only for OS locking.
 */
public final class StorageLayout {

    public static final String GUARD = ".guard";

    private final Path base;

    public StorageLayout(Path base) {
        this.base = base.toAbsolutePath().normalize();
    }

    public Path base() {
        return base;
    }

    public Path layoutMarker() {
        return base.resolve("layout.json");
    }

    // sessions

    public Path sessionsDir() {
        return base.resolve("sessions");
    }

    public Path sessionFile(String sessionId) {
        return sessionsDir().resolve(seg("session id", sessionId) + ".json");
    }

    // events

    public Path eventsRoot() {
        return base.resolve("events");
    }

    public Path eventsRepoDir(String repository) {
        return eventsRoot().resolve(seg("repository name", repository));
    }

    public Path eventsJobDir(JobRef job) {
        return eventsRepoDir(job.repository()).resolve(seg("job id", job.jobId()));
    }

    public Path eventsArchiveDir(JobRef job) {
        return eventsRepoDir(job.repository()).resolve("archive").resolve(seg("job id", job.jobId()));
    }

    // dlq

    public Path dlqRoot() {
        return base.resolve("dlq");
    }

    public Path dlqJobDir(JobRef job) {
        return dlqRoot().resolve(seg("repository name", job.repository())).resolve(seg("job id", job.jobId()));
    }

    public Path dlqItemsDir(JobRef job) {
        return dlqJobDir(job).resolve("items");
    }

    public Path dlqItemFile(JobRef job, String itemId) {
        return dlqItemsDir(job).resolve(seg("DLQ item id", itemId) + ".json");
    }

    // checkpoints

    public Path stateRoot() {
        return base.resolve("state");
    }

    public Path jobStateDir(JobRef job) {
        return stateRoot().resolve(seg("repository name", job.repository())).resolve("mapreduce").resolve("jobs")
                .resolve(seg("job id", job.jobId()));
    }

    public Path workflowCheckpointsRoot() {
        return base.resolve("workflow_checkpoints");
    }

    /** Directory holding the checkpoints of one scope. */
    public Path checkpointDir(CheckpointScope scope) {
        return scope.isJob() ? jobStateDir(scope.job())
                : workflowCheckpointsRoot().resolve(seg("workflow id", scope.workflowId()));
    }

    // workflows

    public Path workflowsDir() {
        return base.resolve("workflows");
    }

    public Path workflowFile(String workflowId) {
        return workflowsDir().resolve(seg("workflow id", workflowId) + ".json");
    }

    public Path executionsRoot() {
        return base.resolve("workflow_executions");
    }

    public Path executionsDir(String workflowId) {
        return executionsRoot().resolve(seg("workflow id", workflowId));
    }

    public Path executionFile(String workflowId, String executionId) {
        return executionsDir(workflowId).resolve(seg("execution id", executionId) + ".json");
    }

    // locks

    public Path locksDir() {
        return base.resolve("locks");
    }

    public Path lockFile(String key) {
        return locksDir().resolve(seg("lock key", key) + ".lock");
    }

    // the original tool's directories, reported by statistics

    public Path logsRoot() {
        return base.resolve("logs");
    }

    public Path orphanedWorktreesRoot() {
        return base.resolve("orphaned_worktrees");
    }

    public Path resumeLocksDir() {
        return base.resolve("resume_locks");
    }

    /** The guard file of a directory. */
    public static Path guardOf(Path dir) {
        return dir.resolve(GUARD);
    }

    /** Re-validates an id before it becomes a path segment (defence in depth; records validate already). */
    private static String seg(String what, String id) {
        return Ids.check(what, id);
    }
}
