package io.prodigy.storage.dashboard;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.dashboard.html.EventChart;
import io.prodigy.storage.dashboard.view.JobReader;
import io.prodigy.storage.dashboard.view.JobSummary;
import io.prodigy.storage.dashboard.view.Listings;
import io.prodigy.storage.dashboard.view.LockView;
import io.prodigy.storage.dashboard.view.Page;
import io.prodigy.storage.dashboard.view.RepositorySummary;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.WorkflowFilter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON API under {@code /api/}: each endpoint reads through the SPI and returns the records the CLI's
 * {@code --json} prints (same mapper, same snake_case shapes), paged where it lists. docs/dashboard.md documents
 * every endpoint with an example.
 */
final class Api {

    /** Page size when none is asked for. */
    static final int DEFAULT_LIMIT = 50;
    /** Largest page served, so no request reads an unbounded list. */
    static final int MAX_LIMIT = 500;

    private final UnifiedStorage storage;
    private final Listings listings;
    private final JobReader jobs;

    Api(UnifiedStorage storage) {
        this.storage = storage;
        this.listings = new Listings(storage);
        this.jobs = new JobReader(storage);
    }

    UnifiedStorage storage() {
        return storage;
    }

    Listings listings() {
        return listings;
    }

    JobReader jobs() {
        return jobs;
    }

    /** The answer to {@code GET /api/<path>}. */
    Object get(List<String> path, Map<String, String> q) {
        String head = path.isEmpty() ? "" : path.get(0);
        switch (head) {
            case "overview" -> {
                expectLength(path, 1);
                return overview(q);
            }
            case "health" -> {
                expectLength(path, 1);
                return health();
            }
            case "repositories" -> {
                expectLength(path, 1);
                return repositories();
            }
            case "jobs" -> {
                if (path.size() == 1) {
                    return jobSummaries(q);
                }
                if (path.size() == 3) {
                    return jobs.detail(existingJob(path.get(1), path.get(2)));
                }
                if (path.size() == 4) {
                    return jobPart(existingJob(path.get(1), path.get(2)), path.get(3), q);
                }
            }
            case "sessions" -> {
                expectLength(path, 1);
                return listings.sessions(sessionFilter(q), after(q), limit(q));
            }
            case "workflows" -> {
                expectLength(path, 1);
                return listings.workflows(workflowFilter(q), after(q), limit(q));
            }
            case "locks" -> {
                expectLength(path, 1);
                return locks(q);
            }
            default -> { }
        }
        throw HttpError.notFound("No API endpoint /api/" + String.join("/", path) + ". See docs/dashboard.md for"
                + " the endpoints.");
    }

    private Object jobPart(JobRef job, String part, Map<String, String> q) {
        return switch (part) {
            case "events" -> events(job, q);
            case "timeline" -> jobs.recent(job).timeline();
            case "agents" -> jobs.recent(job).agents();
            case "checkpoints" -> listings.checkpoints(job, after(q), limit(q));
            case "dlq" -> listings.dlq(job, after(q), limit(q));
            default -> throw HttpError.notFound("No API endpoint '" + part + "' for a job. A job has: events,"
                    + " timeline, agents, checkpoints, dlq, chart.svg, stream.");
        };
    }

    /** {@code GET /api/overview}: health, repositories and the first page of jobs. */
    Map<String, Object> overview(Map<String, String> q) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("backend", storage.backendType());
        doc.put("health", health());
        doc.put("repositories", repositories());
        doc.put("jobs", jobSummaries(q));
        return doc;
    }

    /** The health report with every detail redacted (a backend may report its endpoint or settings). */
    HealthReport health() {
        HealthReport r = storage.health();
        return new HealthReport(r.status(), r.backendType(), Redaction.redactUrl(r.message()), r.probeLatency(),
                Redaction.redact(r.details()), r.checkedAt());
    }

    /** Repositories with how many jobs each holds. */
    List<RepositorySummary> repositories() {
        Map<String, Long> counts = new TreeMap<>();
        for (JobRef j : listings.jobs(null, null, Integer.MAX_VALUE).items()) {
            counts.merge(j.repository(), 1L, Long::sum);
        }
        List<RepositorySummary> out = new ArrayList<>();
        counts.forEach((r, n) -> out.add(new RepositorySummary(r, n)));
        return out;
    }

    Page<JobSummary> jobSummaries(Map<String, String> q) {
        String repo = q.get("repo");
        Page<JobRef> page = listings.jobs(repo == null || repo.isEmpty() ? null : Ids.check("repository", repo),
                after(q), limit(q));
        return Page.of(page.items().stream().map(j -> JobSummary.of(storage, j)).toList(), page.limit(),
                page.nextAfter());
    }

    /**
     * A page of events by sequence. Without {@code after} the page ends at the newest event ({@code ?after=0} reads
     * from the start), so the first page a reader sees is the latest.
     */
    Page<EventRecord> events(JobRef job, Map<String, String> q) {
        int limit = limit(q);
        EventFilter filter = EventFilter.forJob(job);
        String type = q.get("type");
        if (type != null && !type.isEmpty()) {
            filter = filter.withEventTypes(Set.of(type.split(",")));
        }
        String agent = q.get("agent");
        if (agent != null && !agent.isEmpty()) {
            filter = filter.withAgentId(agent);
        }
        String after = q.get("after");
        long afterSeq;
        if (after == null || after.isEmpty()) {
            afterSeq = filter.eventTypes().isEmpty() && filter.agentId() == null
                    ? Math.max(0, storage.events().lastSequence(job) - limit) : 0;
        } else {
            afterSeq = parseLong("after", after);
        }
        return listings.events(filter, afterSeq, limit);
    }

    /** The locks, each with its time left as of now. */
    Page<LockView> locks(Map<String, String> q) {
        Page<LockLease> page = listings.locks(after(q), limit(q));
        Instant now = Instant.now();
        return Page.of(page.items().stream().map(l -> LockView.of(l, now)).toList(), page.limit(), page.nextAfter());
    }

    byte[] chartSvg(String repository, String jobId) {
        return EventChart.svg(jobs.recent(existingJob(repository, jobId)).timeline())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The job, which must have something stored; 404 otherwise. */
    JobRef existingJob(String repository, String jobId) {
        JobRef job = JobRef.of(repository, jobId);
        if (!jobs.exists(job)) {
            throw HttpError.notFound("Job '" + jobId + "' not found in repository '" + repository + "': it has no"
                    + " events, DLQ items or checkpoints.");
        }
        return job;
    }

    static SessionFilter sessionFilter(Map<String, String> q) {
        SessionFilter f = SessionFilter.ALL;
        String state = q.get("state");
        if (state != null && !state.isEmpty()) {
            try {
                f = f.withState(SessionState.valueOf(state.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("Unknown session state '" + state + "'. Use one of "
                        + List.of(SessionState.values()).toString().toLowerCase(Locale.ROOT) + ".");
            }
        }
        String worktree = q.get("worktree");
        if (worktree != null && !worktree.isEmpty()) {
            f = f.withWorktreeName(worktree);
        }
        return f;
    }

    static WorkflowFilter workflowFilter(Map<String, String> q) {
        WorkflowFilter f = WorkflowFilter.ALL;
        if (!q.getOrDefault("name", "").isEmpty()) {
            f = f.withName(q.get("name"));
        }
        if (!q.getOrDefault("tag", "").isEmpty()) {
            f = f.withTag(q.get("tag"));
        }
        if (!q.getOrDefault("author", "").isEmpty()) {
            f = f.withAuthor(q.get("author"));
        }
        return f;
    }

    static int limit(Map<String, String> q) {
        String v = q.get("limit");
        if (v == null || v.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        long n = parseLong("limit", v);
        if (n < 1 || n > MAX_LIMIT) {
            throw HttpError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", was " + v + ".");
        }
        return (int) n;
    }

    static String after(Map<String, String> q) {
        String v = q.get("after");
        return v == null || v.isEmpty() ? null : v;
    }

    private static long parseLong(String name, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw HttpError.badRequest(name + " must not be negative, was " + v + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a whole number, was '" + v + "'.");
        }
    }

    private static void expectLength(List<String> path, int n) {
        if (path.size() != n) {
            throw HttpError.notFound("No API endpoint /api/" + String.join("/", path) + ".");
        }
    }
}
