package io.prodigy.storage.file.maintenance;

import io.prodigy.storage.id.JobRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a retention cleanup removed (or, for a dry run, would remove).
 *
 * @param jobs             one entry per job that had events to remove
 * @param eventsRemoved    events removed in all jobs
 * @param eventsArchived   of those, how many were archived first
 * @param bytesFreed       event segment bytes freed (before minus after; 0 for a dry run)
 * @param tempFilesRemoved stale temp files of interrupted writes that were swept
 */
public record CleanupReport(boolean dryRun, Instant at, List<JobCleanup> jobs, long eventsRemoved,
        long eventsArchived, long bytesFreed, long tempFilesRemoved) {

    public CleanupReport {
        jobs = List.copyOf(jobs);
    }

    /**
     * @param archiveFile where the removed events were archived, or {@code null}
     */
    public record JobCleanup(JobRef job, RetentionPolicy policy, long eventsRemoved, long eventsArchived,
            long bytesBefore, long bytesAfter, Path archiveFile) {}
}
