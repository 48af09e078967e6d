package io.prodigy.storage.migrate.prodigy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.verify.EventDigest;
import io.prodigy.storage.migrate.write.CreatedRecords;
import io.prodigy.storage.migrate.write.EventLogSync;
import io.prodigy.storage.migrate.write.SequencedEvent;
import io.prodigy.storage.migrate.write.SyncResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Imports the event logs of a tree, one job at a time: the job's files are streamed in order through
 * {@link EventLogSync}, which appends in batches after whatever prefix the target already holds. Orphaned-worktree
 * entries join their job's log before its events. Memory: one batch, and the event ids of the current job (to drop
 * the duplicates an interrupted rotation can leave).
 */
final class EventImport {

    private final ImportCollector collector;
    private final UnifiedStorage target;
    private final EventLogSync sync;
    private final Function<String, String> repositoryOf;
    private final CreatedRecords created;
    private final boolean dryRun;

    EventImport(ImportCollector collector, UnifiedStorage target, ImportOptions options, CreatedRecords created,
            Function<String, String> repositoryOf) {
        this.collector = collector;
        this.target = target;
        this.created = created;
        this.dryRun = options.dryRun();
        this.sync = new EventLogSync(target.events(), options.batchSize(), options.dryRun());
        this.repositoryOf = repositoryOf;
    }

    void run(TreeScan scan) {
        Map<JobRef, List<JobEventSource.Source>> jobs = new TreeMap<>();
        // Orphaned-worktree entries go first: the original tool never rewrites those registries, while event files
        // only grow at their end, so a later re-import finds what it imported before as an unchanged prefix.
        scan.orphanRegistries.forEach(o -> sources(jobs, o.job()).add(new JobEventSource.Source(o.file(), true, null,
                true)));
        scan.eventFiles.forEach((dir, files) -> {
            String repository = dir.repository() != null ? dir.repository() : repositoryOf.apply(dir.jobId());
            List<JobEventSource.Source> sources = sources(jobs, JobRef.of(repository, dir.jobId()));
            files.forEach(f -> sources.add(new JobEventSource.Source(f, true, null, false)));
        });
        for (TreeScan.LooseEventFile loose : scan.looseEventFiles) {
            for (String jobId : prescan(loose.file())) {
                String repository = loose.repository() != null ? loose.repository() : repositoryOf.apply(jobId);
                sources(jobs, JobRef.of(repository, jobId))
                        .add(new JobEventSource.Source(loose.file(), false, jobId, false));
            }
        }
        jobs.forEach(this::importJob);
    }

    private static List<JobEventSource.Source> sources(Map<JobRef, List<JobEventSource.Source>> jobs, JobRef job) {
        return jobs.computeIfAbsent(job, j -> new ArrayList<>());
    }

    private void importJob(JobRef job, List<JobEventSource.Source> sources) {
        if (!dryRun && target.events().lastSequence(job) == 0) {
            created.eventLog(job);
        }
        EventDigest digest = new EventDigest();
        EventLogSync.Listener listener = new EventLogSync.Listener() {
            @Override
            public void present(SequencedEvent e) {
                collector.present(kind(e), 1);
                digest.add(e.sequence(), e.event());
            }

            @Override
            public void purgedInTarget(SequencedEvent e) {
                // Imported before and purged by retention since: present, but not there to verify.
                collector.present(kind(e), 1);
            }

            @Override
            public void appended(List<SequencedEvent> batch) {
                for (SequencedEvent e : batch) {
                    collector.imported(kind(e), 1);
                    digest.add(e.sequence(), e.event());
                }
            }

            @Override
            public void skipped(SequencedEvent e) {
                collector.skippedUnlisted(kind(e), 1);
            }
        };
        try (JobEventSource source = new JobEventSource(job, sources, collector)) {
            SyncResult result = sync.sync(job, source, EventLogSync.UNKNOWN_LAST_SEQUENCE, listener);
            if (result.isConflict()) {
                collector.conflictUncounted(SourceKind.EVENT, result.conflict(), sources.get(0).file());
            } else if (digest.count() > 0) {
                collector.manifest().eventLog(job, digest);
            }
        }
    }

    /**
     * Reads a loose event file once to report its unreadable lines and find the jobs its lines belong to; each job
     * then takes its own lines from it.
     */
    private Set<String> prescan(Path file) {
        Set<String> jobs = new LinkedHashSet<>();
        long lineNumber = 0;
        try (BufferedReader reader = SourceFiles.reader(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                EventLineMapper.Result r = EventLineMapper.map(line);
                if (r.blank()) {
                    continue;
                }
                collector.read(SourceKind.EVENT);
                if (r.skipReason() != null) {
                    collector.skip(SourceKind.EVENT, file, lineNumber, r.skipReason());
                    continue;
                }
                String jobId = JobEventSource.jobOf(r.mapped(), file);
                if (Ids.problem(jobId) != null) {
                    collector.skip(SourceKind.EVENT, file, lineNumber, "job id '" + jobId + "' cannot be used: "
                            + Ids.problem(jobId));
                    continue;
                }
                jobs.add(jobId);
            }
        } catch (IOException e) {
            collector.list(SourceKind.EVENT, file, lineNumber + 1, "reading stopped: " + e
                    + "; the lines before it were read");
        }
        return jobs;
    }

    private static SourceKind kind(SequencedEvent e) {
        return ((JobEventSource.Origin) e.origin()).kind();
    }
}
