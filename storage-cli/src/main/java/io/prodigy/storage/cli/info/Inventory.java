package io.prodigy.storage.cli.info;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Record counts per repository and category, read through the SPI so that every backend reports the same way.
 *
 * @param sessions            global session records
 * @param workflows           global workflow definitions
 * @param workflowCheckpoints checkpoints of workflows (global)
 * @param locks               live locks
 * @param repositories        per-repository counts, by name
 */
public record Inventory(
        long sessions, long workflows, long workflowCheckpoints, long locks, Map<String, RepositoryCounts> repositories) {

    /**
     * One repository's counts.
     *
     * @param jobs        jobs with events, DLQ items or checkpoints
     * @param events      events over all its jobs
     * @param dlqItems    dead-letter items over all its jobs
     * @param checkpoints job checkpoints
     */
    public record RepositoryCounts(long jobs, long events, long dlqItems, long checkpoints) {}

    /** Counts what is stored; {@code repository} limits the per-repository part ({@code null} for all). */
    public static Inventory of(UnifiedStorage storage, String repository) {
        Map<String, TreeSet<JobRef>> jobsByRepo = new TreeMap<>();
        Map<String, long[]> figures = new TreeMap<>();
        long workflowCheckpoints = 0;
        CheckpointFilter filter = repository == null ? CheckpointFilter.ALL
                : new CheckpointFilter(null, repository, null, null, null, 0);
        try (Stream<CheckpointInfo> all = checkpoints(storage, filter)) {
            for (CheckpointInfo c : (Iterable<CheckpointInfo>) all::iterator) {
                if (c.scope().isJob()) {
                    JobRef job = c.scope().job();
                    jobsByRepo.computeIfAbsent(job.repository(), r -> new TreeSet<>()).add(job);
                    figures.computeIfAbsent(job.repository(), r -> new long[3])[2]++;
                } else {
                    workflowCheckpoints++;
                }
            }
        }
        if (repository != null) {
            try (Stream<CheckpointInfo> all = checkpoints(storage, CheckpointFilter.ALL)) {
                workflowCheckpoints = all.filter(c -> !c.scope().isJob()).count();
            }
        }
        try (Stream<JobRef> jobs = Pages.stream(PageRequest.MAX_LIMIT, page -> storage.events().listJobs(repository,
                page))) {
            jobs.forEach(job -> {
                jobsByRepo.computeIfAbsent(job.repository(), r -> new TreeSet<>()).add(job);
                figures.computeIfAbsent(job.repository(), r -> new long[3])[0] += storage.events().aggregate(job)
                        .totalEvents();
            });
        }
        try (Stream<JobRef> jobs = Pages.stream(PageRequest.MAX_LIMIT, page -> storage.dlq().listJobs(repository,
                page))) {
            jobs.forEach(job -> {
                jobsByRepo.computeIfAbsent(job.repository(), r -> new TreeSet<>()).add(job);
                figures.computeIfAbsent(job.repository(), r -> new long[3])[1] += storage.dlq().stats(job)
                        .totalItems();
            });
        }
        Map<String, RepositoryCounts> repos = new TreeMap<>();
        jobsByRepo.forEach((repo, jobs) -> {
            long[] f = figures.getOrDefault(repo, new long[3]);
            repos.put(repo, new RepositoryCounts(jobs.size(), f[0], f[1], f[2]));
        });
        long sessions;
        long workflows;
        try (Stream<PersistedSession> all = Pages.stream(PageRequest.MAX_LIMIT,
                page -> storage.sessions().list(SessionFilter.ALL, page));
                Stream<WorkflowInfo> defs = Pages.stream(PageRequest.MAX_LIMIT,
                        page -> storage.workflows().list(WorkflowFilter.ALL, page))) {
            sessions = all.count();
            workflows = defs.count();
        }
        return new Inventory(sessions, workflows, workflowCheckpoints, storage.locks().list().size(), repos);
    }

    private static Stream<CheckpointInfo> checkpoints(UnifiedStorage storage, CheckpointFilter filter) {
        return Pages.stream(PageRequest.MAX_LIMIT, page -> storage.checkpoints().list(filter, page));
    }

    public long totalJobs() {
        return repositories.values().stream().mapToLong(RepositoryCounts::jobs).sum();
    }

    public long totalEvents() {
        return repositories.values().stream().mapToLong(RepositoryCounts::events).sum();
    }

    public long totalDlqItems() {
        return repositories.values().stream().mapToLong(RepositoryCounts::dlqItems).sum();
    }

    public long totalJobCheckpoints() {
        return repositories.values().stream().mapToLong(RepositoryCounts::checkpoints).sum();
    }

    /** Repository names, sorted. */
    public List<String> repositoryNames() {
        return List.copyOf(repositories.keySet());
    }
}
