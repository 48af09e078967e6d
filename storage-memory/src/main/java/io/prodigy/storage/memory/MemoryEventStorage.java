package io.prodigy.storage.memory;

import io.prodigy.storage.Limits;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.ChangeNotifier;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.PollingSubscription;
import io.prodigy.storage.support.lease.FenceCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Per-job event logs in memory (see {@link EventLog} for the copy-on-write layout).
 *
 * <p>Appends to one job are serialized by that job's log; appends to different jobs run in parallel. Queries iterate
 * a published view lazily without locks. Ids are unique per job: a re-sent event is dropped and counted as a
 * duplicate ({@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND}; the window is the whole log). Fences are checked
 * under the job's log monitor, right before the write. A job's log, and with it its high-water mark, is never removed:
 * {@link #deleteJob} empties it. Every append that stored something signals a
 * {@link ChangeNotifier}, which wakes this process's subscribers at once; they poll every
 * {@link #POLL_INTERVAL} regardless.
 */
final class MemoryEventStorage implements EventStorage {

    /** The longest a subscriber waits for a new event when no hint arrives. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final StoreState state;
    private final FenceCheck fences;
    private final ConcurrentHashMap<JobRef, EventLog> logs = new ConcurrentHashMap<>();
    private final ChangeNotifier notifier = new ChangeNotifier();
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    MemoryEventStorage(StoreState state, FenceCheck fences) {
        this.state = state;
        this.fences = fences;
    }

    @Override
    public AppendResult append(JobRef job, List<NewEvent> events, Fence fence) {
        List<NewEvent> batch = Arguments.append(job, events, Limits.DEFAULT);
        AppendResult result = state.mutate(() -> {
            EventLog log = logs.computeIfAbsent(job, EventLog::new);
            synchronized (log) {
                fences.check(fence, "event log of job " + job);
                EventLog.Prepared prepared = log.prepare(batch, state.now());
                int count = prepared.records().size();
                state.budget().charge(prepared.bytes(), count,
                        () -> count + " event(s) for job " + job);
                log.commit(prepared);
                long first = count == 0 ? 0 : prepared.records().get(0).sequence();
                return new AppendResult(job, first, log.highWater(), count, prepared.duplicates(),
                        log.positions(prepared));
            }
        });
        if (result.appended() > 0) {
            notifier.signal();
        }
        return result;
    }

    @Override
    public Stream<EventRecord> query(EventFilter filter) {
        requireFilter(filter);
        state.ensureOpen();
        EventLog log = logs.get(filter.job());
        if (log == null) {
            return Stream.empty();
        }
        return StreamSupport.stream(new ViewSpliterator(log.view(), filter), false);
    }

    @Override
    public EventStats aggregate(JobRef job) {
        requireJob(job);
        state.ensureOpen();
        EventLog log = logs.get(job);
        if (log == null) {
            return EventStats.empty(job);
        }
        synchronized (log) {
            return log.stats();
        }
    }

    @Override
    public long lastSequence(JobRef job) {
        requireJob(job);
        state.ensureOpen();
        EventLog log = logs.get(job);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.highWater();
        }
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        Orders.EVENT_JOBS.position(page);
        state.ensureOpen();
        return Orders.EVENT_JOBS.page(logs.values().stream()
                .filter(log -> log.view().size() > 0)
                .map(log -> log.job)
                .filter(job -> repository == null || job.repository().equals(repository))
                .toList(), page);
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler) {
        Arguments.subscription(filter, afterSequence, handler);
        state.ensureOpen();
        subscriptions.removeIf(s -> !s.isActive());
        EventSubscription subscription =
                PollingSubscription.start(this, filter, afterSequence, handler, notifier, POLL_INTERVAL);
        subscriptions.add(subscription);
        return subscription;
    }

    @Override
    public long purge(JobRef job, Instant olderThan, Fence fence) {
        Arguments.purgeCutoff(job, olderThan);
        return remove(job, fence, e -> e.timestamp().isBefore(olderThan), "purge");
    }

    @Override
    public long deleteJob(JobRef job, Fence fence) {
        requireJob(job);
        return remove(job, fence, e -> true, "delete");
    }

    /** Removes the job's events matching {@code doomed}, keeping its high-water mark; fenced. */
    private long remove(JobRef job, Fence fence, Predicate<EventRecord> doomed, String what) {
        return state.mutate(() -> {
            EventLog log = logs.get(job);
            if (log == null) {
                fences.check(fence, "event log of job " + job);
                return 0L;
            }
            synchronized (log) {
                fences.check(fence, "event log of job " + job);
                long before = log.bytes();
                int removed = log.purge(doomed).size();
                state.budget().charge(log.bytes() - before, -removed, () -> what);
                return (long) removed;
            }
        });
    }

    /** Stops every subscription (on close, before the store stops answering). */
    void closeSubscriptions() {
        for (EventSubscription s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
    }

    int activeSubscriptions() {
        return (int) subscriptions.stream().filter(EventSubscription::isActive).count();
    }

    /** Every log with its high-water mark, for a snapshot; call inside {@link StoreState#exclusive}. */
    List<JobLogState> export() {
        List<JobLogState> out = new ArrayList<>();
        for (EventLog log : logs.values()) {
            synchronized (log) {
                EventLog.View view = log.view();
                List<EventRecord> events = new ArrayList<>(view.size());
                for (int i = 0; i < view.size(); i++) {
                    events.add(view.get(i));
                }
                out.add(new JobLogState(log.job, log.highWater(), events));
            }
        }
        out.sort((a, b) -> a.job().compareTo(b.job()));
        return out;
    }

    /** Loads logs from a snapshot into this empty store. */
    void restore(List<JobLogState> loaded) {
        for (JobLogState s : loaded) {
            if (logs.containsKey(s.job())) {
                throw new IllegalArgumentException("job " + s.job() + " occurs twice");
            }
            EventLog log = new EventLog(s.job());
            synchronized (log) {
                log.load(s.events(), s.highWaterSequence());
                state.budget().chargeUnchecked(log.bytes(), s.events().size());
            }
            logs.put(s.job(), log);
        }
    }

    /** One job's log as persisted: its events and the highest sequence ever assigned (kept across purges). */
    record JobLogState(JobRef job, long highWaterSequence, List<EventRecord> events) {
        JobLogState {
            if (job == null) {
                throw new IllegalArgumentException("job is missing");
            }
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    private static void requireJob(JobRef job) {
        Arguments.job(job);
    }

    private static void requireFilter(EventFilter filter) {
        Arguments.filter(filter);
    }

    /** Lazily walks one published view: filters as it goes, copies each event it hands out, stops at the limit. */
    private static final class ViewSpliterator extends Spliterators.AbstractSpliterator<EventRecord> {
        private final EventLog.View view;
        private final EventFilter filter;
        private final long limit;
        private int index;
        private long delivered;

        ViewSpliterator(EventLog.View view, EventFilter filter) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE);
            this.view = view;
            this.filter = filter;
            this.limit = filter.limit() == 0 ? Long.MAX_VALUE : filter.limit();
            this.index = view.firstIndexAfter(filter.afterSequence());
        }

        @Override
        public boolean tryAdvance(Consumer<? super EventRecord> action) {
            while (delivered < limit && index < view.size()) {
                EventRecord e = view.get(index++);
                if (filter.matches(e)) {
                    delivered++;
                    action.accept(Copies.event(e));
                    return true;
                }
            }
            return false;
        }
    }
}
