package io.prodigy.storage.cli.jobs;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.id.JobRef;

/** Everything stored for one job: its event log, its dead-letter queue and its checkpoints. */
public final class JobData {

    /** What deleting a job removed. */
    public record Removed(JobRef job, long events, long dlqItems, long checkpoints) {}

    private JobData() {}

    /** Deletes the job's event log, DLQ items and checkpoints. */
    public static Removed delete(UnifiedStorage storage, JobRef job) {
        long events = storage.events().deleteJob(job);
        long dlq = storage.dlq().purge(job);
        long checkpoints = 0;
        CheckpointScope scope = CheckpointScope.job(job);
        for (CheckpointInfo c : storage.checkpoints().list(CheckpointFilter.forScope(scope))) {
            if (storage.checkpoints().delete(scope, c.id())) {
                checkpoints++;
            }
        }
        return new Removed(job, events, dlq, checkpoints);
    }
}
