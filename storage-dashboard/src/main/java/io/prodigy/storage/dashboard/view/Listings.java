package io.prodigy.storage.dashboard.view;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
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
 * million-event job reads only that page. The other listings are keyset pages ordered by their key (job: repository
 * then job id; everything else: its id), with the last key of a page as the cursor of the next. The SPI's record
 * listings take a limit but no cursor yet, so for them this class reads the filtered list and cuts the page out of
 * it; when the SPI gains keyset cursors only the bodies here change, not the pages, the API or their cursors.
 */
public final class Listings {

    private final UnifiedStorage storage;

    public Listings(UnifiedStorage storage) {
        this.storage = storage;
    }

    /** Jobs with events, DLQ items or checkpoints, by repository then job id; cursor {@code repository/job}. */
    public Page<JobRef> jobs(String repository, String after, int limit) {
        TreeSet<JobRef> jobs = new TreeSet<>();
        jobs.addAll(storage.events().listJobs(repository));
        jobs.addAll(storage.dlq().listJobs(repository));
        CheckpointFilter filter = repository == null ? CheckpointFilter.ALL
                : new CheckpointFilter(null, repository, null, null, null, 0);
        for (CheckpointInfo c : storage.checkpoints().list(filter)) {
            if (c.scope().isJob()) {
                jobs.add(c.scope().job());
            }
        }
        return page(jobs.stream(), JobRef::toString, after, limit);
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
        return page(storage.sessions().list(filter.withLimit(0)).stream(), PersistedSession::id, after, limit);
    }

    public Page<WorkflowInfo> workflows(WorkflowFilter filter, String after, int limit) {
        return page(storage.workflows().list(filter.withLimit(0)).stream(), WorkflowInfo::id, after, limit);
    }

    public Page<CheckpointInfo> checkpoints(JobRef job, String after, int limit) {
        return page(storage.checkpoints().list(CheckpointFilter.forScope(CheckpointScope.job(job))).stream(),
                CheckpointInfo::id, after, limit);
    }

    public Page<DlqItem> dlq(JobRef job, String after, int limit) {
        return page(storage.dlq().list(DlqFilter.forJob(job)).stream(), DlqItem::itemId, after, limit);
    }

    public Page<LockLease> locks(String after, int limit) {
        return page(storage.locks().list().stream(), LockLease::key, after, limit);
    }

    /** Items ordered by key with key {@code > after}, at most {@code limit}; the last key is the next cursor. */
    private static <T> Page<T> page(Stream<T> all, Function<T, String> key, String after, int limit) {
        List<T> items = new ArrayList<>();
        boolean more = false;
        for (T t : (Iterable<T>) all.filter(t -> after == null || key.apply(t).compareTo(after) > 0)
                .sorted(Comparator.comparing(key))::iterator) {
            if (items.size() == limit) {
                more = true;
                break;
            }
            items.add(t);
        }
        return Page.of(items, limit, more ? key.apply(items.get(items.size() - 1)) : null);
    }
}
