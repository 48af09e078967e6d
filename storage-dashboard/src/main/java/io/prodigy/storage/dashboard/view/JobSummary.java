package io.prodigy.storage.dashboard.view;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One job's figures, as {@code prodigy-storage jobs list --json} prints them and the dashboard's overview shows them,
 * JSON-serialized as they are (snake_case).
 *
 * @param status       derived from the job's lifecycle events (see {@link JobStatus})
 * @param progress     work items completed against the announced total, or {@code null} when no total was announced
 * @param lastActivity the latest of the last event, the newest DLQ failure and the newest checkpoint
 */
public record JobSummary(
        String repository, String jobId, JobStatus status, JobProgress progress, long eventCount, long errorCount,
        long dlqDepth, long checkpointCount, Instant lastActivity) {

    /**
     * Summaries of every job that has events, DLQ items or checkpoints, ordered by repository and job id.
     *
     * @param repository only this repository, or {@code null} for all
     */
    public static List<JobSummary> collect(UnifiedStorage storage, String repository) {
        return new Listings(storage).jobs(repository, null, Integer.MAX_VALUE).items().stream()
                .map(job -> of(storage, job)).toList();
    }

    /** The summary of one job (reads its event stats, DLQ stats, checkpoint list and lifecycle events). */
    public static JobSummary of(UnifiedStorage storage, JobRef job) {
        return of(storage, job, storage.events().aggregate(job), storage.dlq().stats(job));
    }

    /** The summary of one job whose event and DLQ stats were read already. */
    static JobSummary of(UnifiedStorage storage, JobRef job, EventStats events, DlqStats dlq) {
        List<CheckpointInfo> checkpoints =
                storage.checkpoints().list(CheckpointFilter.forScope(CheckpointScope.job(job)));
        Instant last = Stream.concat(Stream.of(events.lastEvent(), dlq.newestItem()),
                        checkpoints.stream().map(CheckpointInfo::createdAt))
                .filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
        Lifecycle lifecycle = Lifecycle.read(storage.events(), job, events);
        return new JobSummary(job.repository(), job.jobId(), lifecycle.status(), lifecycle.progress(events),
                events.totalEvents(), events.errorCount(), dlq.totalItems(), checkpoints.size(), last);
    }
}
