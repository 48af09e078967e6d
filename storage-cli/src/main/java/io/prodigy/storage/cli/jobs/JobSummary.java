package io.prodigy.storage.cli.jobs;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One job's figures for {@code jobs list}, JSON-serialized as they are (snake_case).
 *
 * @param lastActivity the latest of the last event, the newest DLQ failure and the newest checkpoint
 */
public record JobSummary(
        String repository, String jobId, long eventCount, long errorCount, long dlqDepth, long checkpointCount,
        Instant lastActivity) {

    /**
     * Summaries of every job that has events, DLQ items or checkpoints, ordered by repository and job id.
     *
     * @param repository only this repository, or {@code null} for all
     */
    public static List<JobSummary> collect(UnifiedStorage storage, String repository) {
        Map<JobRef, List<CheckpointInfo>> checkpoints = new TreeMap<>();
        io.prodigy.storage.checkpoint.CheckpointFilter filter = io.prodigy.storage.checkpoint.CheckpointFilter.ALL;
        if (repository != null) {
            filter = new io.prodigy.storage.checkpoint.CheckpointFilter(null, repository, null, null, null, 0);
        }
        for (CheckpointInfo c : storage.checkpoints().list(filter)) {
            if (c.scope().isJob()) {
                checkpoints.computeIfAbsent(c.scope().job(), j -> new java.util.ArrayList<>()).add(c);
            }
        }
        TreeSet<JobRef> jobs = new TreeSet<>();
        jobs.addAll(storage.events().listJobs(repository));
        jobs.addAll(storage.dlq().listJobs(repository));
        jobs.addAll(checkpoints.keySet());
        return jobs.stream().map(job -> of(storage, job, checkpoints.getOrDefault(job, List.of()))).toList();
    }

    private static JobSummary of(UnifiedStorage storage, JobRef job, List<CheckpointInfo> checkpoints) {
        EventStats events = storage.events().aggregate(job);
        DlqStats dlq = storage.dlq().stats(job);
        Instant last = Stream.concat(Stream.of(events.lastEvent(), dlq.newestItem()),
                        checkpoints.stream().map(CheckpointInfo::createdAt))
                .filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
        return new JobSummary(job.repository(), job.jobId(), events.totalEvents(), events.errorCount(),
                dlq.totalItems(), checkpoints.size(), last);
    }
}
