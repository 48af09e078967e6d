package io.prodigy.storage.dashboard.view;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Every listing the dashboard shows, one page at a time: the one place that knows how the SPI pages.
 *
 * <p>Events page by sequence through the SPI ({@link EventFilter#afterSequence} plus a limit), so a page of a
 * million-event job reads only that page. Sessions, workflows, a job's checkpoints and a job's DLQ items are the
 * SPI's keyset pages, in the SPI's order (time, then id by UTF-8 bytes), with the SPI's opaque cursor as {@code after}.
 * Jobs are the union of three listings (events, DLQ items, checkpoints), ordered by repository then job id with
 * {@code repository/job} as the cursor: the event and DLQ job listings are read from that job on, a page and one more
 * item each.
 */
public final class Listings {

    private final UnifiedStorage storage;

    public Listings(UnifiedStorage storage) {
        this.storage = storage;
    }

    /**
     * Jobs with events, DLQ items or checkpoints, by repository then job id; cursor {@code repository/job}.
     *
     * @param limit page size; {@link Integer#MAX_VALUE} for every job
     */
    public Page<JobRef> jobs(String repository, String after, int limit) {
        JobRef from = after == null ? null : parseJob(after);
        long keep = limit == Integer.MAX_VALUE ? Long.MAX_VALUE : limit + 1L; // one more, to know if more follow
        TreeSet<JobRef> jobs = new TreeSet<>();
        addFirst(jobs, Orders.EVENT_JOBS, from, keep, page -> storage.events().listJobs(repository, page));
        addFirst(jobs, Orders.DLQ_JOBS, from, keep, page -> storage.dlq().listJobs(repository, page));
        CheckpointFilter filter = repository == null ? CheckpointFilter.ALL
                : new CheckpointFilter(null, repository, null, null, null, 0);
        // Checkpoints are not listed by job: their jobs are gathered from the whole listing, a page at a time.
        try (Stream<CheckpointInfo> all = Pages.stream(PageRequest.MAX_LIMIT,
                page -> storage.checkpoints().list(filter, page))) {
            all.filter(c -> c.scope().isJob()).map(c -> c.scope().job())
                    .filter(j -> from == null || j.compareTo(from) > 0)
                    .forEach(j -> bounded(jobs, j, keep));
        }
        List<JobRef> items = new ArrayList<>(jobs);
        boolean more = items.size() > limit;
        List<JobRef> shown = more ? items.subList(0, limit) : items;
        return Page.of(shown, limit, more ? shown.get(shown.size() - 1).toString() : null);
    }

    private static void addFirst(TreeSet<JobRef> into, Keyset<JobRef> keyset, JobRef from, long keep,
            Function<io.prodigy.storage.page.PageRequest, io.prodigy.storage.page.Page<JobRef>> listing) {
        int size = (int) Math.min(keep, PageRequest.MAX_LIMIT);
        PageRequest start = PageRequest.after(from == null ? null : keyset.cursor(keyset.keyOf(from)), size);
        try (Stream<JobRef> jobs = Pages.stream(start, listing)) {
            jobs.limit(keep).forEach(j -> bounded(into, j, keep));
        }
    }

    private static void bounded(TreeSet<JobRef> jobs, JobRef job, long keep) {
        jobs.add(job);
        if (jobs.size() > keep) {
            jobs.pollLast();
        }
    }

    private static JobRef parseJob(String after) {
        int slash = after.indexOf('/');
        if (slash < 0) {
            throw new InvalidInputException("Invalid jobs cursor '" + after + "': pass the next_after of the"
                    + " previous page (repository/job).");
        }
        return JobRef.of(after.substring(0, slash), after.substring(slash + 1));
    }

    /** Events of {@code filter}'s job with {@code sequence > afterSequence}, in sequence order; cursor: a sequence. */
    public Page<EventRecord> events(EventFilter filter, long afterSequence, int limit) {
        List<EventRecord> items;
        try (Stream<EventRecord> s = storage.events().query(filter.withAfterSequence(afterSequence)
                .withLimit(limit))) {
            items = s.toList();
        }
        String next = items.size() == limit ? Long.toString(items.get(items.size() - 1).sequence()) : null;
        return Page.of(items, limit, next);
    }

    public Page<PersistedSession> sessions(SessionFilter filter, String after, int limit) {
        return of(storage.sessions().list(filter, PageRequest.after(after, limit)), limit);
    }

    public Page<WorkflowInfo> workflows(WorkflowFilter filter, String after, int limit) {
        return of(storage.workflows().list(filter, PageRequest.after(after, limit)), limit);
    }

    public Page<CheckpointInfo> checkpoints(JobRef job, String after, int limit) {
        return of(storage.checkpoints().list(CheckpointFilter.forScope(CheckpointScope.job(job)),
                PageRequest.after(after, limit)), limit);
    }

    public Page<DlqItem> dlq(JobRef job, String after, int limit) {
        return of(storage.dlq().list(DlqFilter.forJob(job), PageRequest.after(after, limit)), limit);
    }

    /** Live leases by key (the lock service has no paged listing yet, so the page is cut from the whole list). */
    public Page<LockLease> locks(String after, int limit) {
        List<LockLease> items = new ArrayList<>();
        boolean more = false;
        for (LockLease l : storage.locks().list().stream()
                .filter(l -> after == null || Orders.UTF8.compare(l.key(), after) > 0)
                .sorted(Comparator.comparing(LockLease::key, Orders.UTF8)).toList()) {
            if (items.size() == limit) {
                more = true;
                break;
            }
            items.add(l);
        }
        return Page.of(items, limit, more ? items.get(items.size() - 1).key() : null);
    }

    private static <T> Page<T> of(io.prodigy.storage.page.Page<T> page, int limit) {
        return Page.of(page.items(), limit, page.next().orElse(null));
    }
}
