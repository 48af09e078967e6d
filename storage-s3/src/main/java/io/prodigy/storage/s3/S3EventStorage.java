package io.prodigy.storage.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.Limits;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.EventSubscription;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.PollingSubscription;
import io.prodigy.storage.support.lease.FenceCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-job event logs as create-only segment objects, one per append:
 * {@code <prefix>events/<repo>/<job>/c<chunk>/s<first sequence>}, the body holding the batch with its first and last
 * sequence. The key is the batch's <b>first</b> sequence only, so two writers can never both own a sequence: both
 * try to create the same key, one gets 412, reads the winner's last sequence and tries after it. Chunks
 * ({@value #CHUNK} sequences each) keep every LIST of a job's tail to one page.
 *
 * <p>An append costs one PUT when this process knows the job's end (it appended last), otherwise a LIST of chunks, a
 * LIST of the last chunk and a GET of its newest segment first. Segments are immutable except under {@link #purge},
 * so they are cached by key and ETag and a query re-reads only what it has not seen.
 */
final class S3EventStorage implements EventStorage {

    /** Sequences per chunk prefix. */
    static final long CHUNK = 1000;
    private static final int DIGITS = 20;

    /** A stored event without its job (the key names it). */
    record StoredEvent(long sequence, String id, Instant timestamp, String eventType, JsonNode data,
            String correlationId, String agentId) {

        static StoredEvent of(EventRecord e) {
            return new StoredEvent(e.sequence(), e.id(), e.timestamp(), e.eventType(), e.data(), e.correlationId(),
                    e.agentId());
        }

        EventRecord in(JobRef job) {
            // A copy of the data: the cached segment is shared, the returned record is the caller's.
            return new EventRecord(job, sequence, id, timestamp, eventType, Json.copy(data), correlationId, agentId);
        }
    }

    /**
     * A segment's body. {@code first} and {@code last} are the range the segment owns, kept even when a purge leaves
     * it with fewer events (or none: a stub that keeps the slot and the high-water mark).
     */
    record Segment(String writeId, long first, long last, List<StoredEvent> events) {
        Segment {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /** What this process last knew of a job's end, and when (monotonic), so stale knowledge is not trusted. */
    private record Hint(long last, long learnedAt) {}

    private static final Logger LOG = LoggerFactory.getLogger(S3EventStorage.class);

    private final Backend b;
    private final Map<JobRef, Hint> hints = new ConcurrentHashMap<>();
    private final Map<JobRef, RecentIds> recentIds = new ConcurrentHashMap<>();
    private final FenceCheck fences;
    private final Set<PollingSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    S3EventStorage(Backend backend, FenceCheck fences) {
        this.b = backend;
        this.fences = fences;
    }

    /**
     * Appends the batch's events whose ids the job does not hold yet (among its last
     * {@link EventStorage#IDEMPOTENCY_WINDOW} sequences, {@link RecentIds}): the batch is decided against the ids up to
     * the log end it writes after, and the create-only write of the segment at that end + 1 either wins (nobody wrote
     * after that end, so the decision holds) or loses, and the append catches up and decides again. The fence is
     * checked right before the write (not atomic with it: docs/s3.md, "Fencing").
     */
    @Override
    public AppendResult append(JobRef job, List<NewEvent> events, Fence fence) {
        List<NewEvent> batch = Arguments.append(job, events, Limits.DEFAULT);
        b.ensureOpen();
        Instant stamp = b.now();
        String prefix = b.layout.events(job);
        long last = knownEnd(job);
        while (true) {
            RecentIds ids = caughtUp(job, last);
            Map<String, Long> alreadyStored = new LinkedHashMap<>();
            Set<String> inBatch = new HashSet<>();
            List<NewEvent> fresh = new ArrayList<>(batch.size());
            for (NewEvent e : batch) {
                if (!inBatch.add(e.id())) {
                    continue;
                }
                Long at = ids.sequenceOf(e.id());
                if (at != null && !stillStored(prefix, at, e.id())) {
                    ids.forget(e.id()); // purged or deleted since, maybe by another process: store it again
                    at = null;
                }
                if (at != null) {
                    alreadyStored.put(e.id(), at);
                } else {
                    fresh.add(e);
                }
            }
            int duplicates = batch.size() - fresh.size();
            if (fresh.isEmpty()) {
                return new AppendResult(job, 0, last, 0, duplicates, alreadyStored);
            }
            fences.check(fence, fenced(job));
            long first = last + 1;
            List<StoredEvent> stored = new ArrayList<>(fresh.size());
            for (int i = 0; i < fresh.size(); i++) {
                stored.add(StoredEvent.of(EventRecord.of(job, first + i, fresh.get(i), stamp)));
            }
            Segment segment = new Segment(UUID.randomUUID().toString(), first, first + fresh.size() - 1, stored);
            byte[] body = Envelope.Codec.write(segment);
            String key = segmentKey(prefix, first);
            String eTag = b.store.createIfAbsent(key, body, Map.of());
            if (eTag != null || isOwn(key, body)) {
                // Not cached here: parsing the body back (the caller's JSON trees must stay the caller's) cost about
                // as much as the PUT; a reader in this process GETs the segment once, as readers elsewhere do.
                stored.forEach(e -> ids.add(e.sequence(), e.id()));
                if (ids.through() >= last) {
                    ids.advance(segment.last());
                }
                hints.put(job, new Hint(segment.last(), System.nanoTime()));
                b.appends.signal();
                return new AppendResult(job, first, segment.last(), fresh.size(), duplicates, alreadyStored);
            }
            // Lost the race for `first`: read where the log ends now, after the winner's segment.
            last = endAfter(prefix, key);
        }
    }

    /**
     * The job's recent ids, caught up to {@code last}: the events after what it holds (at most the last
     * {@link EventStorage#IDEMPOTENCY_WINDOW}) are read from the log, usually the one segment another writer added.
     */
    private RecentIds caughtUp(JobRef job, long last) {
        RecentIds ids = recentIds.computeIfAbsent(job, j -> new RecentIds());
        long through = ids.through();
        if (through < last) {
            long from = Math.max(through, last - EventStorage.IDEMPOTENCY_WINDOW);
            try (Stream<EventRecord> newer = events(job, from)) {
                newer.takeWhile(e -> e.sequence() <= last).forEach(e -> ids.add(e.sequence(), e.id()));
            }
            ids.advance(last);
        }
        return ids;
    }

    /**
     * Confirms a hit of the recent ids against the log (three LISTs and a GET unless cached; paid only by a retried
     * event), since a purge or deleteJob in another process does not reach this process's ids.
     */
    private boolean stillStored(String prefix, long sequence, String id) {
        ObjectStore.Listed holder = startSegment(prefix, sequence);
        Segment s = holder == null ? null : segment(newestVersion(holder));
        return s != null && s.events().stream().anyMatch(e -> e.sequence() == sequence && e.id().equals(id));
    }

    private static String fenced(JobRef job) {
        return "event log of job " + job;
    }

    /** The job's last sequence as this process knows it, if that knowledge is fresh; else read from S3. */
    private long knownEnd(JobRef job) {
        Hint hint = hints.get(job);
        if (hint != null && System.nanoTime() - hint.learnedAt() < b.config.compactionGrace().toNanos() / 2) {
            return hint.last();
        }
        return readEnd(job);
    }

    /** Where the log ends: the last sequence owned by its newest segment, 0 if it has none. */
    private long readEnd(JobRef job) {
        return readEnd(b.layout.events(job));
    }

    private long readEnd(String prefix) {
        for (int attempt = 1; ; attempt++) {
            ObjectStore.Listed newest = newestSegment(prefix);
            if (newest == null) {
                return 0;
            }
            Segment s = segment(newest);
            if (s != null) {
                return s.last();
            }
            pause(attempt); // listed but not served yet, or deleted meanwhile: list again
        }
    }

    /**
     * After losing the race for {@code lostKey}: the end of the log, from the newest segment at or after that key.
     * A listed segment that cannot be read yet (an S3-compatible server may list a key a moment before it serves
     * it) is read again.
     */
    private long endAfter(String prefix, String lostKey) {
        for (int attempt = 1; ; attempt++) {
            ObjectStore.Listed newest = null;
            try (Stream<ObjectStore.Listed> later = b.store.list(prefix, lostKey)) {
                for (Iterator<ObjectStore.Listed> it = later.iterator(); it.hasNext(); ) {
                    ObjectStore.Listed o = it.next();
                    if (isSegmentKey(o.key())) {
                        newest = o;
                    }
                }
            }
            Segment s = newest != null ? segment(newest)
                    : b.store.get(lostKey).map(bytes -> Envelope.Codec.read(lostKey, bytes, Segment.class))
                            .orElse(null);
            if (s != null) {
                return s.last();
            }
            if (newest == null && attempt > 3) {
                // The winner's segment is gone (deleteJob in another process): start from what is there.
                return readEnd(prefix);
            }
            pause(attempt);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(50, attempt * 2L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while appending.", e);
        }
    }

    private boolean isOwn(String key, byte[] body) {
        return b.store.fetch(key).map(f -> Arrays.equals(f.bytes(), body)).orElse(false);
    }

    /** The newest segment of the log at {@code prefix}: a LIST of chunks, then a LIST of the last non-empty one. */
    private ObjectStore.Listed newestSegment(String prefix) {
        List<String> chunks = b.store.children(prefix);
        for (int i = chunks.size() - 1; i >= 0; i--) {
            List<ObjectStore.Listed> segments = segmentsIn(b.store.listAll(prefix + chunks.get(i) + "/").objects());
            if (!segments.isEmpty()) {
                return segments.get(segments.size() - 1);
            }
        }
        return null;
    }

    /** The segment that holds {@code sequence} or the first one after it: where a read from there starts. */
    private ObjectStore.Listed startSegment(String prefix, long sequence) {
        List<String> chunks = b.store.children(prefix);
        String target = segmentKey(prefix, sequence);
        for (int i = chunks.size() - 1; i >= 0; i--) {
            String chunkPrefix = prefix + chunks.get(i) + "/";
            if (Orders.UTF8.compare(chunkPrefix, target) > 0) {
                continue;
            }
            List<ObjectStore.Listed> segments = segmentsIn(b.store.listAll(chunkPrefix).objects());
            for (int j = segments.size() - 1; j >= 0; j--) {
                if (Orders.UTF8.compare(segments.get(j).key(), target) <= 0) {
                    return segments.get(j);
                }
            }
        }
        return null;
    }

    @Override
    public Stream<EventRecord> query(EventFilter filter) {
        if (filter == null) {
            throw new InvalidInputException("Event filter is missing: use EventFilter.forJob(job).");
        }
        b.ensureOpen();
        JobRef job = filter.job();
        long limit = filter.limit() == 0 ? Long.MAX_VALUE : filter.limit();
        Stream<EventRecord> events = events(job, filter.afterSequence()).filter(filter::matches);
        return limit == Long.MAX_VALUE ? events : events.limit(limit);
    }

    /** Every event of the job with a sequence above {@code after}, lazily, a segment at a time. */
    private Stream<EventRecord> events(JobRef job, long after) {
        String prefix = b.layout.events(job);
        ObjectStore.Listed start = after == 0 ? null : startSegment(prefix, after + 1);
        // The segment holding after+1 first (S3's start-after is exclusive), then everything after it.
        Stream<ObjectStore.Listed> fromStart = start == null ? b.store.list(prefix, null)
                : Stream.concat(Stream.of(start), b.store.list(prefix, start.key()));
        Iterator<ObjectStore.Listed> keys = newestVersions(fromStart.iterator());
        Iterator<EventRecord> it = new Iterator<>() {
            private Iterator<StoredEvent> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && keys.hasNext()) {
                    ObjectStore.Listed o = keys.next();
                    Segment s = listedSegment(o);
                    if (s != null) {
                        current = s.events().stream().filter(e -> e.sequence() > after).iterator();
                    }
                }
                return current.hasNext();
            }

            @Override
            public EventRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next().in(job);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false)
                .onClose(fromStart::close);
    }

    @Override
    public EventStats aggregate(JobRef job) {
        requireJob(job);
        b.ensureOpen();
        EventStats.Builder stats = EventStats.builder(job);
        try (Stream<EventRecord> all = events(job, 0)) {
            all.forEach(stats::add);
        }
        return stats.build();
    }

    @Override
    public long lastSequence(JobRef job) {
        requireJob(job);
        b.ensureOpen();
        long end = readEnd(job);
        hints.put(job, new Hint(end, System.nanoTime()));
        return end;
    }

    /**
     * Jobs with at least one event left, from the cursor on: job directories are listed in job order with
     * {@code start-after} ({@link JobListing}), and each job of the page is read until its first event (a job emptied
     * by purge or deleteJob keeps a stub segment with its high-water mark and is not listed).
     */
    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        Orders.EVENT_JOBS.position(page);
        b.ensureOpen();
        return JobListing.page(b, Orders.EVENT_JOBS, b.layout.events(), repository, page, job -> {
            try (Stream<EventRecord> any = events(job, 0)) {
                return any.findAny().isPresent();
            }
        });
    }

    @Override
    public EventSubscription subscribe(EventFilter filter, long afterSequence, Consumer<EventRecord> handler) {
        Arguments.subscription(filter, afterSequence, handler);
        b.ensureOpen();
        PollingSubscription s = PollingSubscription.start(this, filter, afterSequence, handler, b.appends,
                b.config.pollInterval());
        subscriptions.add(s);
        return s;
    }

    /**
     * Deletes events older than {@code olderThan}. Segments are never rewritten: each segment that loses events gets a
     * new <em>purge version</em> {@code <segment>p<n>}, created create-only after the newest one and holding the
     * events left (none: a stub that keeps the sequence range, so the slot and the high-water mark stay). Two purges
     * of one job with different cut-offs race for the same version; the loser reads the winner's and removes its own
     * cut-off from it, so removals compose and no purge puts back what another removed. Not atomic across segments:
     * a reader during the purge may see some segments purged and others not yet.
     */
    @Override
    public long purge(JobRef job, Instant olderThan, Fence fence) {
        Arguments.purgeCutoff(job, olderThan);
        b.ensureOpen();
        fences.check(fence, fenced(job));
        String prefix = b.layout.events(job);
        long removed = 0;
        List<ObjectStore.Listed> all = b.store.listAll(prefix).objects();
        for (Map.Entry<ObjectStore.Listed, ObjectStore.Listed> v : versions(all).entrySet()) {
            removed += rewrite(job, v.getKey(), v.getValue(),
                    events -> events.stream().filter(e -> !e.timestamp().isBefore(olderThan)).toList());
        }
        return removed;
    }

    /**
     * Creates the next purge version of {@code segment} holding what {@code keep} leaves of its newest version
     * ({@code newest}), unless that removes nothing; on a lost race reads the new newest version and decides again.
     *
     * @return how many events this call removed
     */
    private long rewrite(JobRef job, ObjectStore.Listed segment, ObjectStore.Listed newest,
            java.util.function.UnaryOperator<List<StoredEvent>> keep) {
        while (true) {
            Segment s = segment(newest);
            if (s == null) {
                return 0; // deleted meanwhile (deleteJob)
            }
            List<StoredEvent> kept = keep.apply(s.events());
            if (kept.size() == s.events().size()) {
                return 0;
            }
            recentIds.remove(job); // purged ids are no longer held: rebuilt from the log on the next append
            long n = newest == segment ? 1 : purgeVersion(segment.key(), newest.key()) + 1;
            String key = purgeKey(segment.key(), n);
            byte[] body = Envelope.Codec.write(new Segment(UUID.randomUUID().toString(), s.first(), s.last(), kept));
            if (b.store.createIfAbsent(key, body, Map.of()) != null || isOwn(key, body)) {
                return s.events().size() - kept.size();
            }
            newest = newestVersion(segment); // another purge won this version: decide again on its result
        }
    }

    /**
     * Deletes every event of the job and keeps its high-water mark: the newest segment first gets an empty purge
     * version, a stub that keeps its sequence range (so every writer keeps continuing above it, in any process), then
     * the older segments and their versions are deleted (DeleteObjects, 1,000 keys a request). An append that lands after the listing stays (it is
     * ordered after the delete). Not atomic across segments: a reader during the delete may see part of the log.
     */
    @Override
    public long deleteJob(JobRef job, Fence fence) {
        Arguments.job(job);
        b.ensureOpen();
        fences.check(fence, fenced(job));
        String prefix = b.layout.events(job);
        List<ObjectStore.Listed> all = b.store.listAll(prefix).objects();
        Map<ObjectStore.Listed, ObjectStore.Listed> versions = versions(all);
        if (versions.isEmpty()) {
            return 0;
        }
        long count = 0;
        ObjectStore.Listed last = null;
        for (Map.Entry<ObjectStore.Listed, ObjectStore.Listed> v : versions.entrySet()) {
            Segment s = segment(v.getValue());
            if (s != null) {
                count += s.events().size();
            }
            last = v.getKey();
        }
        recentIds.remove(job);
        rewrite(job, last, versions.get(last), events -> List.of());
        String keep = last.key();
        List<String> older = all.stream().map(ObjectStore.Listed::key)
                .filter(k -> !k.startsWith(keep)).toList();
        if (!older.isEmpty()) {
            b.store.deleteAll(older);
        }
        recentIds.remove(job);
        return count;
    }

    /** Stops every subscription of this storage (on close). */
    void closeSubscriptions() {
        subscriptions.forEach(PollingSubscription::close);
        subscriptions.clear();
    }

    int activeSubscriptions() {
        subscriptions.removeIf(s -> !s.isActive());
        return subscriptions.size();
    }

    /**
     * A segment a listing returned, read again a few times if the server does not serve it yet; {@code null} only if
     * it stays gone (deleted by deleteJob meanwhile).
     */
    private Segment listedSegment(ObjectStore.Listed o) {
        for (int attempt = 1; ; attempt++) {
            Segment s = segment(o);
            if (s != null || attempt == 5) {
                if (s == null) {
                    LOG.debug("Listed segment {} could not be read: skipped as deleted", o.key());
                }
                return s;
            }
            pause(attempt);
        }
    }

    private Segment segment(ObjectStore.Listed o) {
        return b.object(o, Segment.class);
    }

    static String segmentKey(String prefix, long first) {
        long chunk = (first - 1) / CHUNK;
        return prefix + "c" + pad(chunk, 12) + "/s" + pad(first, DIGITS);
    }

    private static boolean isSegmentKey(String key) {
        int slash = key.lastIndexOf('/');
        return slash >= 0 && key.length() == slash + 2 + DIGITS && key.charAt(slash + 1) == 's';
    }

    /** The key of purge version {@code n} of a segment. */
    static String purgeKey(String segmentKey, long n) {
        return segmentKey + "p" + pad(n, DIGITS);
    }

    /** The number of a purge version of {@code segmentKey}, or -1 if {@code key} is not one. */
    private static long purgeVersion(String segmentKey, String key) {
        int at = segmentKey.length() + 1;
        if (key.length() != at + DIGITS || !key.startsWith(segmentKey + "p")) {
            return -1;
        }
        try {
            return Long.parseLong(key.substring(at));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The object holding a segment's events now: its newest purge version, or itself (one LIST). */
    private ObjectStore.Listed newestVersion(ObjectStore.Listed segment) {
        ObjectStore.Listed newest = segment;
        for (ObjectStore.Listed o : b.store.listAll(segment.key() + "p").objects()) {
            if (purgeVersion(segment.key(), o.key()) > 0) {
                newest = o;
            }
        }
        return newest;
    }

    /**
     * Each segment of a listing (in key order) with the object holding its events now: a segment's purge versions
     * ({@code s<first>p<n>}, siblings: some servers cannot hold a key that is also a prefix of other keys' path)
     * are listed right after it, the newest last. Purge
     * versions whose segment is gone (deleteJob raced a purge) are ignored.
     */
    private static Map<ObjectStore.Listed, ObjectStore.Listed> versions(List<ObjectStore.Listed> objects) {
        Map<ObjectStore.Listed, ObjectStore.Listed> out = new LinkedHashMap<>();
        Iterator<ObjectStore.Listed> it = newestVersionPairs(objects.iterator());
        while (it.hasNext()) {
            ObjectStore.Listed segment = it.next();
            out.put(segment, it.next());
        }
        return out;
    }

    /** {@link #versions}, lazily: the object holding each segment's events now. */
    private static Iterator<ObjectStore.Listed> newestVersions(Iterator<ObjectStore.Listed> objects) {
        Iterator<ObjectStore.Listed> pairs = newestVersionPairs(objects);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return pairs.hasNext();
            }

            @Override
            public ObjectStore.Listed next() {
                pairs.next();
                return pairs.next();
            }
        };
    }

    /** Segment, newest version, segment, newest version, … of a listing in key order. */
    private static Iterator<ObjectStore.Listed> newestVersionPairs(Iterator<ObjectStore.Listed> objects) {
        return new Iterator<>() {
            private ObjectStore.Listed held;
            private ObjectStore.Listed version;

            @Override
            public boolean hasNext() {
                if (version != null) {
                    return true;
                }
                while (held == null && objects.hasNext()) {
                    ObjectStore.Listed o = objects.next();
                    if (isSegmentKey(o.key())) {
                        held = o;
                    }
                }
                return held != null;
            }

            @Override
            public ObjectStore.Listed next() {
                if (version != null) {
                    ObjectStore.Listed v = version;
                    version = null;
                    return v;
                }
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ObjectStore.Listed segment = held;
                held = null;
                ObjectStore.Listed newest = segment;
                while (objects.hasNext()) {
                    ObjectStore.Listed o = objects.next();
                    if (purgeVersion(segment.key(), o.key()) > 0) {
                        newest = o;
                    } else {
                        if (isSegmentKey(o.key())) {
                            held = o;
                        }
                        break;
                    }
                }
                version = newest;
                return segment;
            }
        };
    }

    private static List<ObjectStore.Listed> segmentsIn(List<ObjectStore.Listed> objects) {
        return objects.stream().filter(o -> isSegmentKey(o.key())).toList();
    }

    private static String pad(long n, int digits) {
        String s = Long.toString(n);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static void requireJob(JobRef job) {
        Arguments.job(job);
    }
}
