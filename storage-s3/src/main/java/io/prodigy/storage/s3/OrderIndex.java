package io.prodigy.storage.s3;

import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An order index: empty objects whose keys sort like a listing's {@link Keyset} ({@link KeyCodec#position}), one per
 * record, so that a page starts at its cursor with {@code start-after} and reads only its own records. This is what
 * makes a listing ordered by time (sessions, checkpoints, workflows, executions, DLQ items) cost O(page) requests
 * instead of reading the whole scope.
 *
 * <p><b>Entries.</b> {@code <dir><position>/<token>}: the position names the record (its time and ids) and the token
 * is random per write, so a writer never re-creates an entry someone else may be deleting. A writer puts the entry
 * of a record's new position <em>before</em> the write that gives the record that position, and only when the
 * position changes; so every live record has an entry at its position. An entry whose record is gone or now has
 * another position is stale: listings skip it and delete it once it is older than {@code compaction_grace} (server
 * time), by which time the write it was put for has landed or will never land (a writer sends its write at most half
 * the grace period after it put the entry, {@link Generations}). Of several entries at one position (a record that
 * moved back), all but the newest are deleted the same way.
 *
 * <p><b>Cost of a page</b> of {@code limit}: one LIST of the entries after the cursor (more only past stale entries
 * or items a filter drops), then each record read (LIST + GET of its newest generation, the GET cached), in parallel;
 * independent of the size of the scope. Time bounds of a filter ({@code after}, {@code before}) are turned into the
 * start and the end of the walk; other filters are evaluated on the records read, so a filter that matches one item in
 * k reads about k records per item returned (docs/s3.md, "Paging").
 *
 * @param <T> the listed items
 */
final class OrderIndex<T> {

    private final Backend b;
    private final Keyset<T> keyset;
    private final boolean timed;
    private final Function<PageKey, Optional<T>> locate;

    /**
     * @param keyset the listing's order and cursors
     * @param timed  whether the listing's keys carry a time
     * @param locate reads the live record that a position names (its ids), whatever its current position; empty if
     *               there is none
     */
    OrderIndex(Backend backend, Keyset<T> keyset, boolean timed, Function<PageKey, Optional<T>> locate) {
        this.b = backend;
        this.keyset = keyset;
        this.timed = timed;
        this.locate = locate;
    }

    /**
     * Puts an entry for {@code item} in each of {@code dirs}, unless {@code before} (the record's state the write
     * replaces, {@code null} if none) is already at the same position: one PUT per directory when the position
     * changes, none otherwise. Called before the write that gives the record its new state.
     */
    void prepare(T before, T item, Collection<String> dirs) {
        prepare(before == null ? null : keyset.keyOf(before), keyset.keyOf(item), b, dirs);
    }

    /** As {@link #prepare(Object, Object, Collection)}, for positions given as keys. */
    static void prepare(PageKey before, PageKey after, Backend b, Collection<String> dirs) {
        if (after.equals(before)) {
            return;
        }
        for (String dir : dirs) {
            b.store.put(dir + KeyCodec.position(after) + "/" + token(), new byte[0], Map.of());
        }
    }

    /**
     * The requested page of the items indexed in {@code dir}.
     *
     * @param after  only items whose time is after this ({@code null}: no bound), as the filter's {@code after}
     * @param before only items whose time is before this ({@code null}: no bound)
     * @param filter what the page keeps of the items read
     */
    Page<T> page(String dir, PageRequest request, Instant after, Instant before, Predicate<? super T> filter) {
        Optional<PageKey> position = keyset.position(request);
        Walk walk = new Walk(dir, startAfter(dir, position, after), before, Math.min(1000, 2 * request.limit() + 1));
        List<T> out = new ArrayList<>(request.limit());
        List<String> garbage = new ArrayList<>();
        PageKey last = null;
        while (out.size() < request.limit() && walk.hasNext()) {
            List<Candidate> batch = new ArrayList<>();
            while (batch.size() < request.limit() - out.size() && walk.hasNext()) {
                batch.add(walk.next());
            }
            List<Optional<T>> items = resolve(batch, garbage);
            for (int i = 0; i < batch.size(); i++) {
                Optional<T> item = items.get(i);
                if (item.isPresent() && filter.test(item.get())) {
                    out.add(item.get());
                    last = batch.get(i).key();
                }
            }
        }
        boolean more = out.size() == request.limit() && walk.hasNext();
        if (!garbage.isEmpty()) {
            b.store.deleteAll(garbage);
        }
        return new Page<>(out, more ? Optional.of(keyset.cursor(last)) : Optional.empty());
    }

    /** Every live item indexed in {@code dir}, in order (O(n): one LIST per 1,000 entries, a read per record). */
    List<T> all(String dir) {
        List<T> out = new ArrayList<>();
        PageRequest request = PageRequest.first(PageRequest.MAX_LIMIT);
        while (request != null) {
            Page<T> page = page(dir, request, null, null, t -> true);
            out.addAll(page.items());
            request = page.next().map(request::withCursor).orElse(null);
        }
        return out;
    }

    /**
     * The positions indexed in {@code dir}, in order, without reading a record: one LIST per 1,000 entries. Some may
     * be stale; {@link #resolve} tells.
     */
    List<PageKey> positions(String dir) {
        List<PageKey> out = new ArrayList<>();
        Walk walk = new Walk(dir, null, null, 1000);
        while (walk.hasNext()) {
            out.add(walk.next().key());
        }
        return out;
    }

    /** The live item each position names if it is still at that position (read in parallel), else empty. */
    List<Optional<T>> resolveAll(List<PageKey> positions) {
        return resolve(positions.stream().map(k -> new Candidate(k, List.of(), null)).toList(), new ArrayList<>());
    }

    private String startAfter(String dir, Optional<PageKey> position, Instant after) {
        // The entries of a position are "<position>/<token>": start after all of them.
        String fromCursor = position.map(p -> KeyCodec.afterAll(dir + KeyCodec.position(p) + "/")).orElse(null);
        String fromFilter = after == null || !timed ? null : dir + KeyCodec.afterAll(KeyCodec.time(after) + "/");
        if (fromCursor == null) {
            return fromFilter;
        }
        return fromFilter == null || fromCursor.compareTo(fromFilter) >= 0 ? fromCursor : fromFilter;
    }

    /** One position of the index with its entries as listed, and the time of the listing that found them. */
    private record Candidate(PageKey key, List<ObjectStore.Listed> entries, Instant serverTime) {}

    /** Reads each candidate's record in parallel; adds the entries the grace period lets go to {@code garbage}. */
    private List<Optional<T>> resolve(List<Candidate> batch, List<String> garbage) {
        List<CompletableFuture<Optional<T>>> reads = new ArrayList<>(batch.size());
        for (Candidate c : batch) {
            reads.add(batch.size() == 1 ? CompletableFuture.completedFuture(locate.apply(c.key()))
                    : CompletableFuture.supplyAsync(() -> locate.apply(c.key()), b.readers));
        }
        List<Optional<T>> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Optional<T> item;
            try {
                item = reads.get(i).join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
            Candidate c = batch.get(i);
            boolean current = item.isPresent() && keyset.keyOf(item.get()).equals(c.key());
            out.add(current ? item : Optional.empty());
            collectable(c, current, garbage);
        }
        return out;
    }

    /** Stale entries, and all but the newest entry of a position, once older than the grace period. */
    private void collectable(Candidate c, boolean current, List<String> garbage) {
        if (c.serverTime() == null || c.entries().isEmpty()) {
            return;
        }
        Instant cutoff = c.serverTime().minus(b.config.compactionGrace());
        ObjectStore.Listed newest = null;
        for (ObjectStore.Listed e : c.entries()) {
            if (newest == null || e.lastModified().isAfter(newest.lastModified())
                    || (e.lastModified().equals(newest.lastModified()) && e.key().compareTo(newest.key()) > 0)) {
                newest = e;
            }
        }
        for (ObjectStore.Listed e : c.entries()) {
            if ((!current || e != newest) && !e.lastModified().isAfter(cutoff)) {
                garbage.add(e.key());
            }
        }
    }

    /**
     * The entries of {@code dir} after {@code startAfter}, grouped by position, listed lazily ({@code pageSize} keys
     * per LIST), ending before the first position whose time is not before {@code before}.
     */
    private final class Walk {
        private final String dir;
        private final String end;
        private final int pageSize;
        private String after;
        private boolean exhausted;
        private List<ObjectStore.Listed> page = List.of();
        private int at;
        private Instant serverTime;
        private Candidate pending;

        Walk(String dir, String startAfter, Instant before, int pageSize) {
            this.dir = dir;
            this.after = startAfter;
            this.end = before == null || !timed ? null : dir + KeyCodec.time(before);
            this.pageSize = pageSize;
        }

        boolean hasNext() {
            if (pending == null) {
                pending = read();
            }
            return pending != null;
        }

        Candidate next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Candidate c = pending;
            pending = null;
            return c;
        }

        /** The next position, with all its entries (which may span two LIST pages). */
        private Candidate read() {
            ObjectStore.Listed first = entry();
            if (first == null) {
                return null;
            }
            String prefix = Layout.baseOf(first.key());
            List<ObjectStore.Listed> entries = new ArrayList<>(1);
            entries.add(first);
            at++;
            ObjectStore.Listed more;
            while ((more = entry()) != null && more.key().startsWith(prefix)) {
                entries.add(more);
                at++;
            }
            PageKey key;
            try {
                key = KeyCodec.decodePosition(prefix.substring(dir.length(), prefix.length() - 1), timed);
            } catch (RuntimeException e) {
                return read(); // not an entry of this index (written by hand?): skip it
            }
            return new Candidate(key, entries, serverTime);
        }

        /** The entry at the cursor without consuming it, listing the next page when needed. */
        private ObjectStore.Listed entry() {
            while (at >= page.size()) {
                if (exhausted) {
                    return null;
                }
                ObjectStore.Page p = b.store.page(dir, after, pageSize);
                serverTime = p.serverTime();
                page = p.objects();
                at = 0;
                exhausted = page.size() < pageSize;
                if (!page.isEmpty()) {
                    after = page.get(page.size() - 1).key();
                }
            }
            ObjectStore.Listed e = page.get(at);
            if (end != null && e.key().compareTo(end) >= 0) {
                exhausted = true;
                page = List.of();
                return null;
            }
            return e;
        }
    }

    private static String token() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /** Whether a write that put its entries at {@code putAt} ({@link System#nanoTime()}) may still rely on them. */
    static boolean fresh(long putAt, Duration grace) {
        return System.nanoTime() - putAt < grace.toNanos() / 2;
    }
}
