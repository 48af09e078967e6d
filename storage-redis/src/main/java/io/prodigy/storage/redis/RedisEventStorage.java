package io.prodigy.storage.redis;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.ChangeNotifier;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.PollingSubscription;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Per-job logs as Redis streams whose entry ids are the sequences ({@code <seq>-0}). One script per append
 * ({@code ev_append.lua}) allocates the sequences after the job's high-water mark, drops event ids the job already
 * holds, keeps the figures {@link #aggregate} reads, lists the job and publishes a hint, so every append is atomic
 * and a subscriber that saw {@code lastSequence} n finds every event up to n on the next read.
 *
 * <p>Queries page with {@code XRANGE} from the start sequence (500 entries a round trip) and filter the other
 * fields here: a time, type, correlation or agent filter reads the job's log from the start sequence on.
 */
final class RedisEventStorage implements EventStorage {

    static final int PAGE = 500;
    private static final int PURGE_CHUNK = 500;

    private final RedisClient client;
    private final Keys keys;
    private final ChangeNotifier notifier = new ChangeNotifier();
    private final HintListener hints;
    private final Duration pollInterval;
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    RedisEventStorage(RedisClient client, Keys keys, Duration pollInterval) {
        this.client = client;
        this.keys = keys;
        this.pollInterval = pollInterval;
        this.hints = new HintListener(client, keys.eventChannel(), notifier);
    }

    @Override
    public AppendResult append(JobRef job, List<NewEvent> batch, Fence fence) {
        List<NewEvent> events = Arguments.append(job, batch, RedisStorage.LIMITS);
        List<String> args = new ArrayList<>(3 + events.size() * 6);
        args.add(client.nowArg());
        args.add(Keys.jobMember(job));
        args.add(keys.eventChannel());
        args.add(Fences.token(fence));
        for (int i = 0; i < events.size(); i++) {
            NewEvent e = events.get(i);
            if (e == null) {
                throw new InvalidInputException("Event " + i + " of the batch for job " + job
                        + " is null; nothing was appended.");
            }
            args.add(e.id());
            args.add(e.timestamp() == null ? "" : TimeCode.of(e.timestamp()));
            args.add(e.eventType());
            String data = Codec.write(e.data(), "event '" + e.id() + "'");
            RedisStorage.LIMITS.checkPayload("data of event '" + e.id() + "'",
                    data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            args.add(data);
            args.add(optional(e.correlationId()));
            args.add(optional(e.agentId()));
        }
        Reply r = Reply.of(client.script("appending " + events.size() + " event(s) to job " + job, Script.EV_APPEND,
                List.of(keys.eventStream(job), keys.eventMeta(job), keys.eventIds(job), keys.eventJobs(),
                        Fences.key(keys, fence)), args));
        Fences.throwIfFenced(r, fence, "event log of job " + job);
        int appended = (int) r.number(3);
        if (appended > 0) {
            notifier.signal();
        }
        Reply skipped = r.list(5);
        Map<String, Long> alreadyStored = new LinkedHashMap<>();
        for (int i = 0; i + 1 < skipped.size(); i += 2) {
            alreadyStored.putIfAbsent(skipped.string(i), skipped.number(i + 1));
        }
        return new AppendResult(job, r.number(1), r.number(2), appended, (int) r.number(4), alreadyStored);
    }

    @Override
    public Stream<EventRecord> query(EventFilter filter) {
        requireFilter(filter);
        client.ensureOpen();
        Iterator<EventRecord> it = new PagedLog(filter);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public EventStats aggregate(JobRef job) {
        requireJob(job);
        Reply r = Reply.of(client.readScript("reading the figures of job " + job, Script.EV_STATS,
                List.of(keys.eventStream(job), keys.eventMeta(job)), List.of()));
        long top = r.number(0);
        Reply meta = r.list(1);
        EventStats.Builder stats = EventStats.builder(job);
        boolean any = false;
        String min = null;
        String max = null;
        for (int i = 0; i + 1 < meta.size(); i += 2) {
            String field = meta.string(i);
            String value = meta.string(i + 1);
            if (field.startsWith("y:")) {
                long count = Long.parseLong(value);
                if (count > 0) {
                    stats.add(field.substring(2), null, top, count);
                    any = true;
                }
            } else if (field.equals("mn")) {
                min = value;
            } else if (field.equals("mx")) {
                max = value;
            }
        }
        if (!any) {
            return EventStats.empty(job);
        }
        return stats.widen(min == null ? null : TimeCode.parse(min), max == null ? null : TimeCode.parse(max))
                .build();
    }

    @Override
    public long lastSequence(JobRef job) {
        requireJob(job);
        String key = keys.eventMeta(job);
        String hw = client.read("reading the last sequence of job " + job, j -> j.hget(key, "hw"));
        return hw == null ? 0 : Long.parseLong(hw);
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return IndexScan.jobs(client, "listing jobs with events", keys.eventJobs(), repository, Orders.EVENT_JOBS,
                page);
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler) {
        Arguments.subscription(filter, afterSequence, handler);
        client.ensureOpen();
        hints.ensureStarted();
        subscriptions.removeIf(s -> !s.isActive());
        EventSubscription subscription =
                PollingSubscription.start(this, filter, afterSequence, handler, notifier, pollInterval);
        subscriptions.add(subscription);
        return subscription;
    }

    @Override
    public long purge(JobRef job, Instant olderThan, Fence fence) {
        Arguments.purgeCutoff(job, olderThan);
        List<String> k = List.of(keys.eventStream(job), keys.eventMeta(job), keys.eventIds(job), keys.eventJobs(),
                Fences.key(keys, fence));
        String cut = TimeCode.of(olderThan);
        long deleted = 0;
        String after = "0";
        String min = "";
        String max = "";
        String version = "";
        while (true) {
            Reply r = Reply.of(client.script("purging events of job " + job, Script.EV_PURGE, k,
                    List.of(after, cut, Integer.toString(PURGE_CHUNK), min, max, version, Keys.jobMember(job),
                            Fences.token(fence))));
            Fences.throwIfFenced(r, fence, "event log of job " + job);
            if (r.is("RESTART")) {
                // Another purge deleted events since our last chunk: the survivors' range must be folded again.
                after = "0";
                min = "";
                max = "";
                version = r.string(1);
                continue;
            }
            deleted += r.number(2);
            if (r.is("DONE")) {
                return deleted;
            }
            after = r.string(1);
            version = r.string(3);
            min = r.string(4);
            max = r.string(5);
        }
    }

    @Override
    public long deleteJob(JobRef job, Fence fence) {
        Arguments.job(job);
        Reply r = Reply.of(client.script("deleting job " + job, Script.EV_DELETE,
                List.of(keys.eventStream(job), keys.eventMeta(job), keys.eventIds(job), keys.eventJobs(),
                        Fences.key(keys, fence)),
                List.of(Keys.jobMember(job), Fences.token(fence))));
        Fences.throwIfFenced(r, fence, "event log of job " + job);
        return r.number(1);
    }

    /** Stops every subscription and the hint listener (on close). */
    void close() {
        for (EventSubscription s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
        hints.close();
    }

    int activeSubscriptions() {
        return (int) subscriptions.stream().filter(EventSubscription::isActive).count();
    }

    private static String optional(String value) {
        return value == null ? "" : "=" + value;
    }

    private static String optionalBack(String value) {
        return value == null || value.isEmpty() ? null : value.substring(1);
    }

    private EventRecord decode(JobRef job, String key, StreamEntry entry) {
        Map<String, String> f = entry.getFields();
        return new EventRecord(job, entry.getID().getTime(), f.get("i"), TimeCode.parse(f.get("t")), f.get("y"),
                Codec.tree(f.get("d"), key), optionalBack(f.get("c")), optionalBack(f.get("a")));
    }

    /** Reads a job's log lazily, a page per round trip, filtering as it goes. */
    private final class PagedLog implements Iterator<EventRecord> {
        private final EventFilter filter;
        private final String key;
        private final long limit;
        private long after;
        private long delivered;
        private boolean exhausted;
        private final List<EventRecord> buffer = new ArrayList<>();
        private int index;

        PagedLog(EventFilter filter) {
            this.filter = filter;
            this.key = keys.eventStream(filter.job());
            this.limit = filter.limit() == 0 ? Long.MAX_VALUE : filter.limit();
            this.after = filter.afterSequence();
        }

        @Override
        public boolean hasNext() {
            while (delivered < limit) {
                if (index < buffer.size()) {
                    return true;
                }
                if (exhausted) {
                    return false;
                }
                fill();
            }
            return false;
        }

        @Override
        public EventRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            delivered++;
            return buffer.get(index++);
        }

        private void fill() {
            buffer.clear();
            index = 0;
            String start = (after + 1) + "-0";
            List<StreamEntry> page = client.read("reading events of job " + filter.job(),
                    j -> j.xrange(key, start, "+", PAGE));
            for (StreamEntry entry : page) {
                EventRecord e = decode(filter.job(), key, entry);
                after = e.sequence();
                if (filter.matches(e)) {
                    buffer.add(e);
                }
            }
            if (page.size() < PAGE) {
                exhausted = true;
            }
        }
    }

    private static void requireJob(JobRef job) {
        if (job == null) {
            throw new InvalidInputException("Job is missing: pass a JobRef (repository and job id).");
        }
    }

    private static void requireFilter(EventFilter filter) {
        Arguments.filter(filter);
    }
}
