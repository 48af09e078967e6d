package io.prodigy.storage.cli.cleanup;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.maintenance.CleanupReport;
import io.prodigy.storage.file.maintenance.RetentionPolicy;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two ways a cleanup removes old events: the file backend's own retention (which archives removed events first
 * when configured, and sweeps temp files of interrupted writes), or the SPI's {@code purge} for every other backend
 * and for a single repository.
 */
final class Retention {

    /**
     * One job's outcome; JSON {@code {repository, job_id, removed, archived, archive_file}}.
     *
     * @param archiveFile where the removed events were archived, or {@code null}
     */
    record JobCleanup(String repository, String jobId, long removed, long archived, String archiveFile) {}

    /** What a cleanup did (or, dry, would do). */
    record Outcome(List<JobCleanup> jobs, long removed, long archived, String method) {}

    private Retention() {}

    /** Through the file backend: every repository, archiving as configured unless {@code archive} is false. */
    static Outcome file(FileStorage storage, Duration olderThan, boolean archive, boolean dryRun) {
        boolean configuredArchive = storage.config().retention().archive();
        CleanupReport report = storage.cleanup(new RetentionPolicy(olderThan, 0, archive && configuredArchive),
                dryRun);
        List<JobCleanup> jobs = report.jobs().stream().map(j -> new JobCleanup(j.job().repository(), j.job().jobId(),
                j.eventsRemoved(), j.eventsArchived(), j.archiveFile() == null ? null : j.archiveFile().toString()))
                .toList();
        return new Outcome(jobs, report.eventsRemoved(), report.eventsArchived(),
                "file backend retention" + (archive && configuredArchive ? " (removed events archived first)" : ""));
    }

    /** Through the SPI: {@code purge} per job (no archive), for any backend. */
    static Outcome spi(UnifiedStorage storage, String repository, Instant cutoff, boolean dryRun, Progress progress) {
        List<JobRef> jobs = storage.events().listJobs(repository);
        progress.maxHint(jobs.size());
        List<JobCleanup> results = new ArrayList<>();
        long removed = 0;
        for (JobRef job : jobs) {
            long n = dryRun ? countBefore(storage, job, cutoff) : storage.events().purge(job, cutoff);
            if (n > 0) {
                results.add(new JobCleanup(job.repository(), job.jobId(), n, 0, null));
            }
            removed += n;
            progress.step();
        }
        return new Outcome(results, removed, 0, "purge through the storage API (not archived)");
    }

    private static long countBefore(UnifiedStorage storage, JobRef job, Instant cutoff) {
        try (Stream<?> old = storage.events().query(EventFilter.forJob(job).withBefore(cutoff))) {
            return old.count();
        }
    }
}
