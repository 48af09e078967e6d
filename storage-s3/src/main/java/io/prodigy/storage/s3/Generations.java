package io.prodigy.storage.s3;

import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Records kept as chains of create-only generation objects: {@code <base>/g00000000000000000001},
 * {@code …02}, …, each the whole record as of one write (or a tombstone). This is the compare-and-swap every
 * mutable record of the backend (sessions, checkpoints, workflow definitions, DLQ items, locks) is built on:
 * read the highest generation {@code n}, decide, create {@code n+1} with {@code If-None-Match: *}. S3 lets exactly one
 * of several racing writers create {@code n+1}; the others get 412, read again and decide again.
 *
 * <p><b>Own writes.</b> When a create answers 412 the object at that key is read: if its bytes are this attempt's
 * bytes (each body carries a random write id), the SDK had repeated a PUT whose response was lost, and the write is
 * ours. So an unknown outcome inside one call is resolved, never guessed.
 *
 * <p><b>Compaction.</b> Superseded generations are deleted once their successor is older than the grace period
 * ({@code compaction_grace}, by the server's clock from the LIST response's Date header), and a record whose newest
 * generation is a tombstone that old is deleted whole. The grace period is what makes deletion safe: a writer that
 * read generation {@code k} could otherwise recreate a deleted {@code k+1} and believe it had won. A writer never
 * sends a create more than half the grace period after its read (it reads again instead), and AWS rejects a request
 * signed more than 15 minutes earlier, so with the default hour no such late create can land.
 */
final class Generations {

    /** One generation object as listed. */
    record Gen(long number, ObjectStore.Listed object) {}

    /**
     * A record's state as read: its generations (ascending), the newest one's envelope ({@code null} if the record
     * has none), and the server time of the listing.
     */
    record Current(String base, List<Gen> gens, Envelope latest, Instant serverTime) {

        /** The newest generation number, 0 if there is none. */
        long number() {
            return gens.isEmpty() ? 0 : gens.get(gens.size() - 1).number();
        }

        /** Whether the record exists: it has a generation and the newest is not a tombstone. */
        boolean live() {
            return latest != null && !latest.deleted();
        }

        <T> T as(Class<T> type) {
            return live() ? latest.as(type) : null;
        }
    }

    /** What an update decided after reading the current state. */
    sealed interface Step<R> permits Write, Done {}

    /**
     * Create the next generation with {@code next}; if it lands, the update returns {@code result}. {@code record} is
     * what {@code next} holds ({@code null} for a tombstone); {@code before} runs right before the create (the
     * order-index entries of the record's new position, {@link OrderIndex#prepare}).
     */
    record Write<R>(Envelope next, R result, Object record, Runnable before) implements Step<R> {

        /** The same write, running {@code action} right before the create. */
        Write<R> before(Runnable action) {
            return new Write<>(next, result, record, action);
        }
    }

    /** Write nothing; the update returns {@code result}. */
    record Done<R>(R result) implements Step<R> {}

    static <R> Step<R> write(Object record, R result) {
        return new Write<>(Envelope.of(record), result, record, null);
    }

    static <R> Step<R> tombstone(R result) {
        return new Write<>(Envelope.tombstone(), result, null, null);
    }

    static <R> Step<R> done(R result) {
        return new Done<>(result);
    }

    private static final String GEN = "g";
    private static final int DIGITS = 20;
    /** Consecutive lost races after which a writer backs off briefly (randomized) before reading again. */
    private static final int BACKOFF_AFTER = 2;

    private final ObjectStore store;
    private final ObjectCache cache;
    private final Duration grace;

    private final Executor readers;

    /** @param readers runs the parallel GETs of a listing (the storage owns and stops it) */
    Generations(ObjectStore store, ObjectCache cache, Duration grace, Executor readers) {
        this.store = store;
        this.cache = cache;
        this.grace = grace;
        this.readers = readers;
    }

    /** The key of generation {@code n} of the record at {@code base} (which ends with {@code /}). */
    static String key(String base, long n) {
        String digits = Long.toString(n);
        return base + GEN + "0".repeat(Math.max(0, DIGITS - digits.length())) + digits;
    }

    /** The generation number of {@code key} directly under {@code base}, or -1 if it is not a generation key. */
    static long number(String base, String key) {
        if (!key.startsWith(base) || key.length() != base.length() + 1 + DIGITS
                || !key.startsWith(GEN, base.length())) {
            return -1;
        }
        try {
            return Long.parseLong(key.substring(base.length() + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The record's state: one LIST under {@code base}, plus one GET of the newest generation unless cached. */
    Current read(String base) {
        ObjectStore.Page page = store.listAll(base);
        return current(base, page.objects(), page.serverTime());
    }

    /** The state of the record at {@code base} from a listing already made (the objects directly under it). */
    Current current(String base, List<ObjectStore.Listed> objects, Instant serverTime) {
        List<Gen> gens = new ArrayList<>();
        for (ObjectStore.Listed o : objects) {
            long n = number(base, o.key());
            if (n > 0) {
                gens.add(new Gen(n, o));
            }
        }
        Envelope latest = null;
        while (!gens.isEmpty()) {
            Gen newest = gens.get(gens.size() - 1);
            latest = envelope(newest.object());
            if (latest != null) {
                break;
            }
            // Deleted between LIST and GET: compaction removed a whole tombstoned record. Treat as absent.
            gens.remove(gens.size() - 1);
        }
        return new Current(base, List.copyOf(gens), latest, serverTime);
    }

    /**
     * Groups a listing of many records (all objects under a common prefix, in key order) by record base, and reads
     * each record's newest generation. {@code baseOf} maps an object key to its record base (ending with {@code /}),
     * or {@code null} for keys that are not generations of a record.
     */
    Map<String, Current> currents(ObjectStore.Page page, Function<String, String> baseOf) {
        Instant serverTime = page.serverTime();
        Map<String, List<ObjectStore.Listed>> byBase = new LinkedHashMap<>();
        for (ObjectStore.Listed o : page.objects()) {
            String base = baseOf.apply(o.key());
            if (base != null) {
                byBase.computeIfAbsent(base, b -> new ArrayList<>()).add(o);
            }
        }
        prefetch(byBase);
        Map<String, Current> out = new LinkedHashMap<>();
        byBase.forEach((base, list) -> out.put(base, current(base, list, serverTime)));
        return out;
    }

    /**
     * The records under {@code prefix} after {@code startAfter}, in key order, read lazily: the listing one LIST page
     * at a time, the newest generations {@code batch} records at a time (in parallel). {@code baseOf} as in
     * {@link #currents}. Nothing is compacted on the way.
     */
    java.util.Iterator<Current> records(String prefix, String startAfter, int batch,
            Function<String, String> baseOf) {
        java.util.Iterator<ObjectStore.Listed> objects = store.list(prefix, startAfter).iterator();
        return new java.util.Iterator<>() {
            private ObjectStore.Listed held;
            private java.util.Iterator<Current> ready = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                if (!ready.hasNext()) {
                    Map<String, List<ObjectStore.Listed>> groups = new LinkedHashMap<>();
                    while (groups.size() <= batch && (held != null || objects.hasNext())) {
                        ObjectStore.Listed o = held != null ? held : objects.next();
                        held = null;
                        String base = baseOf.apply(o.key());
                        if (base == null) {
                            continue;
                        }
                        if (!groups.containsKey(base) && groups.size() == batch) {
                            held = o; // the first object of the next batch
                            break;
                        }
                        groups.computeIfAbsent(base, k -> new ArrayList<>()).add(o);
                    }
                    prefetch(groups);
                    List<Current> out = new ArrayList<>(groups.size());
                    groups.forEach((base, list) -> out.add(current(base, list, null)));
                    ready = out.iterator();
                }
                return ready.hasNext();
            }

            @Override
            public Current next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return ready.next();
            }
        };
    }

    /**
     * Reads the newest generation of every record not in the cache, several at a time: a listing of n changed
     * records costs n GETs, and in parallel they take the time of a few.
     */
    private void prefetch(Map<String, List<ObjectStore.Listed>> byBase) {
        List<ObjectStore.Listed> missing = new ArrayList<>();
        byBase.forEach((base, list) -> {
            for (int i = list.size() - 1; i >= 0; i--) {
                ObjectStore.Listed o = list.get(i);
                if (number(base, o.key()) > 0) {
                    if (!cache.contains(o.key(), o.eTag())) {
                        missing.add(o);
                    }
                    break;
                }
            }
        });
        if (missing.size() < 2) {
            return;
        }
        List<CompletableFuture<Envelope>> reads = new ArrayList<>(missing.size());
        for (ObjectStore.Listed o : missing) {
            reads.add(CompletableFuture.supplyAsync(() -> envelope(o), readers));
        }
        for (CompletableFuture<Envelope> r : reads) {
            try {
                r.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        }
    }

    private Envelope envelope(ObjectStore.Listed o) {
        return cache.get(o.key(), o.eTag(), key -> store.get(key)
                .map(bytes -> new ObjectCache.Sized<>(Envelope.parse(key, bytes), bytes.length)).orElse(null));
    }

    /**
     * Read, decide, create the next generation; on a lost race read and decide again. {@code decide} may throw (a
     * conflict, not-found, fencing), which ends the update with nothing written.
     *
     * <p>If this process wrote the record's newest generation it knows of (within half the grace period), the first
     * attempt decides on that state without a LIST: the create-only write of the next generation can only win if
     * nobody wrote since, so a lock step or record update that no other writer raced costs one PUT. A decision to
     * write nothing, or a refusal (an exception from {@code decide}), is never taken on that remembered state (it
     * could be stale): the record is read first and decided on again.
     */
    <R> R update(String base, Function<Current, Step<R>> decide) {
        Written mine = written.get(base);
        if (mine != null && System.nanoTime() - mine.at() < grace.toNanos() / 2) {
            return update(base, mine.state(), mine.at(), decide, true);
        }
        return update(base, null, System.nanoTime(), decide, false);
    }

    /** The state this process left a record in by its last write, and when ({@link System#nanoTime()}). */
    private record Written(Current state, long at) {}

    /** Remembered own writes, the most recent {@value #REMEMBERED} records (a hint only: never needed). */
    private static final int REMEMBERED = 4096;

    private final Map<String, Written> written = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
                    return size() > REMEMBERED;
                }
            });

    /**
     * Remembers the state a write of generation {@code n} left: without a listing's server time, so nothing is ever
     * compacted on the strength of it.
     */
    private void remember(Current before, long n, String key, String eTag, Envelope next, int size) {
        List<Gen> gens = new ArrayList<>(before.gens());
        gens.add(new Gen(n, new ObjectStore.Listed(key, size, eTag, null)));
        written.put(before.base(), new Written(new Current(before.base(), List.copyOf(gens), next, null),
                System.nanoTime()));
    }

    /**
     * As {@link #update(String, Function)}, but the first attempt decides on {@code known} (the record's state from a
     * listing made at {@code knownAt}, {@link System#nanoTime()}), saving a LIST when nobody wrote since.
     */
    <R> R update(String base, Current known, long knownAt, Function<Current, Step<R>> decide) {
        return update(base, known, knownAt, decide, false);
    }

    /** @param remembered whether {@code known} is a remembered own write rather than a listing */
    private <R> R update(String base, Current known, long knownAt, Function<Current, Step<R>> decide,
            boolean remembered) {
        for (int lost = 0; ; lost++) {
            long readAt = known != null ? knownAt : System.nanoTime();
            Current current = known != null ? known : read(base);
            boolean fromMemory = remembered && known != null;
            remembered = false;
            known = null;
            Step<R> step;
            try {
                step = decide.apply(current);
            } catch (RuntimeException e) {
                if (!fromMemory) {
                    throw e;
                }
                lost--;
                continue; // refused on a remembered state (a conflict, not held, ...): read the record, then decide
            }
            if (step instanceof Done<R> done) {
                if (fromMemory) {
                    lost--;
                    continue; // decided on a remembered state: read the record, then decide
                }
                return done.result();
            }
            Write<R> write = (Write<R>) step;
            if (System.nanoTime() - readAt > grace.toNanos() / 2) {
                continue; // paused too long since the read: compaction may have freed the slot we would take
            }
            long next = current.number() + 1;
            String key = key(base, next);
            byte[] body = write.next().bytes();
            if (write.before() != null) {
                write.before().run();
            }
            String eTag = store.createIfAbsent(key, body, Map.of());
            if (eTag != null) {
                cache.put(key, eTag, write.next(), body.length);
                remember(current, next, key, eTag, write.next(), body.length);
                compact(current);
                return write.result();
            }
            Current after = read(base);
            if (isOwn(after, next, write.next())) {
                compact(current);
                return write.result();
            }
            if (fromMemory) {
                lost--; // not a race lost on a fresh read: another writer came since our own last write
            }
            if (lost >= BACKOFF_AFTER) {
                backoff(lost);
            }
            known = after;
            knownAt = System.nanoTime();
        }
    }

    /** The outcome of {@link #attempt}: {@code lost} if another writer got the generation first. */
    record Attempt<R>(boolean lost, R result) {}

    /**
     * One try, no retry: decide on {@code known} (a state from a listing made at {@code knownAt}) and create the next
     * generation. On 412 the attempt is lost and nothing is read again (callers with other work to do, such as a
     * claim walking many items, move on). A lost attempt whose generation turns out to be its own (a repeated PUT)
     * still counts as lost: the caller's next read sees the write, as a claim the caller holds.
     */
    <R> Attempt<R> attempt(String base, Current known, long knownAt, Function<Current, Step<R>> decide) {
        Step<R> step = decide.apply(known);
        if (step instanceof Done<R> done) {
            return new Attempt<>(false, done.result());
        }
        if (System.nanoTime() - knownAt > grace.toNanos() / 2) {
            return new Attempt<>(true, null);
        }
        Write<R> write = (Write<R>) step;
        String key = key(base, known.number() + 1);
        byte[] body = write.next().bytes();
        if (write.before() != null) {
            write.before().run();
        }
        String eTag = store.createIfAbsent(key, body, Map.of());
        if (eTag == null) {
            return new Attempt<>(true, null);
        }
        cache.put(key, eTag, write.next(), body.length);
        remember(known, known.number() + 1, key, eTag, write.next(), body.length);
        compact(known);
        return new Attempt<>(false, write.result());
    }

    /**
     * After a 412 on generation {@code n}: whether that generation is this attempt's own (the SDK repeated a PUT whose
     * response was lost). Usually {@code n} is the newest, already read; otherwise it is fetched.
     */
    private boolean isOwn(Current after, long n, Envelope mine) {
        if (after.number() == n && after.latest() != null) {
            return mine.writeId().equals(after.latest().writeId());
        }
        for (Gen g : after.gens()) {
            if (g.number() == n) {
                Envelope e = envelope(g.object());
                return e != null && mine.writeId().equals(e.writeId());
            }
        }
        return false;
    }

    /**
     * Deletes what the grace period allows, as of {@code current}'s listing: generations whose successor is older
     * than the grace period, and the whole record if its newest generation is a tombstone that old. At most one
     * DeleteObjects request, and none if nothing qualifies.
     */
    void compact(Current current) {
        List<String> keys = collectable(current);
        if (!keys.isEmpty()) {
            store.deleteAll(keys);
        }
    }

    /** The keys {@link #compact} would delete. */
    List<String> collectable(Current current) {
        if (current.serverTime() == null || current.gens().isEmpty()) {
            return List.of();
        }
        Instant cutoff = current.serverTime().minus(grace);
        List<Gen> gens = current.gens();
        Gen newest = gens.get(gens.size() - 1);
        boolean oldTombstone = current.latest() != null && current.latest().deleted()
                && !newest.object().lastModified().isAfter(cutoff);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < gens.size(); i++) {
            boolean superseded = i < gens.size() - 1 && !gens.get(i + 1).object().lastModified().isAfter(cutoff);
            if (superseded || oldTombstone) {
                keys.add(gens.get(i).object().key());
            }
        }
        return keys;
    }

    private static void backoff(int lost) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, Math.min(50, 1L << Math.min(lost, 6)) + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while retrying a contended S3 write.", e);
        }
    }
}
