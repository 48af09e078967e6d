package io.prodigy.storage.memory;

import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One job's event log: an append-only, copy-on-write sequence of events that readers iterate without locks.
 *
 * <p><b>Layout.</b> Events sit in fixed-size chunks. A {@link View} is an immutable pair (chunks, size); the log
 * publishes a new view through a volatile field after each append. Slots below a published size are never written
 * again (appends only fill slots above it, and {@link #purge} builds fresh chunks), so a reader holding a view sees a
 * stable, consistent prefix of the log for as long as it likes: queries are lazy and need no lock, and a batch becomes
 * visible all at once because the size moves once per batch.
 *
 * <p><b>Writers</b> (append, purge, delete) are serialized by this log's monitor. The sequence high-water mark lives
 * here too: purge and delete (a purge of everything) keep it, so new events continue after the highest sequence ever
 * assigned and sequences are never reused. A log is never removed from its store once created.
 *
 * <p><b>Ids.</b> The log holds the id of every stored event, so a re-sent event is recognised however old it is (the
 * whole log is the idempotency window); a purged event's id is forgotten with it.
 */
final class EventLog {

    private static final int CHUNK = 256;

    /** An immutable, consistent prefix of the log. */
    record View(EventRecord[][] chunks, int size) {
        static final View EMPTY = new View(new EventRecord[0][], 0);

        EventRecord get(int index) {
            return chunks[index / CHUNK][index % CHUNK];
        }

        /** Index of the first event with a sequence above {@code sequence} (events are sorted by sequence). */
        int firstIndexAfter(long sequence) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (get(mid).sequence() <= sequence) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /**
     * What an append decided: the records to store (not yet stored), how many events were duplicates, and the
     * distinct ids among them that were already stored before this batch (in batch order).
     */
    record Prepared(List<EventRecord> records, long bytes, int duplicates, List<String> storedBefore) {}

    final JobRef job;
    private volatile View view = View.EMPTY;
    // Guarded by this: the writer's side.
    private long highWater;
    private long bytes;
    private final Set<String> ids = new HashSet<>();
    private EventStats.Builder stats;

    EventLog(JobRef job) {
        this.job = job;
        this.stats = EventStats.builder(job);
    }

    View view() {
        return view;
    }

    /**
     * Turns a batch into stored records with consecutive sequences after the high-water mark, dropping events whose
     * id the log (or an earlier event of the batch) already holds. Changes nothing: {@link #commit} does. Call with
     * the monitor held.
     */
    Prepared prepare(List<NewEvent> batch, Instant now) {
        List<EventRecord> records = new ArrayList<>(batch.size());
        Set<String> batchIds = new HashSet<>();
        List<String> storedBefore = new ArrayList<>();
        long next = highWater + 1;
        long size = 0;
        int duplicates = 0;
        for (NewEvent e : batch) {
            if (!batchIds.add(e.id())) {
                duplicates++;
                continue;
            }
            if (ids.contains(e.id())) {
                duplicates++;
                storedBefore.add(e.id());
                continue;
            }
            EventRecord record = EventRecord.of(job, next++, Copies.newEvent(e), now);
            size += RecordSizes.of(record, "event '" + e.id() + "' of job " + job);
            records.add(record);
        }
        return new Prepared(records, size, duplicates, storedBefore);
    }

    /**
     * Where the events a batch found already stored are ({@link Prepared#storedBefore()}, in batch order): found by a
     * scan from the newest event backwards, since a retry's events are recent. Call with the monitor held.
     */
    Map<String, Long> positions(Prepared prepared) {
        if (prepared.storedBefore().isEmpty()) {
            return Map.of();
        }
        Set<String> wanted = new HashSet<>(prepared.storedBefore());
        Map<String, Long> found = new HashMap<>();
        View current = view;
        for (int i = current.size - 1; i >= 0 && !wanted.isEmpty(); i--) {
            EventRecord e = current.get(i);
            if (wanted.remove(e.id())) {
                found.put(e.id(), e.sequence());
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        prepared.storedBefore().forEach(id -> out.put(id, found.get(id)));
        return out;
    }

    /** Stores prepared records and publishes them in one step. Call with the monitor held. */
    void commit(Prepared prepared) {
        List<EventRecord> records = prepared.records();
        if (records.isEmpty()) {
            return;
        }
        View current = view;
        int newSize = current.size + records.size();
        EventRecord[][] chunks = current.chunks;
        int chunksNeeded = (newSize + CHUNK - 1) / CHUNK;
        if (chunksNeeded > chunks.length) {
            // Older views keep the old outer array. Slots and chunks are shared but only filled above their size.
            chunks = Arrays.copyOf(chunks, Math.max(chunksNeeded, chunks.length * 2));
        }
        int index = current.size;
        for (EventRecord r : records) {
            if (chunks[index / CHUNK] == null) {
                chunks[index / CHUNK] = new EventRecord[CHUNK];
            }
            chunks[index / CHUNK][index % CHUNK] = r;
            index++;
            ids.add(r.id());
            stats.add(r);
        }
        highWater = records.get(records.size() - 1).sequence();
        bytes += prepared.bytes();
        view = new View(chunks, newSize);
    }

    /**
     * Drops the events matching {@code doomed}; the rest keep their sequences and the high-water mark stays. Readers
     * on an older view are unaffected. Call with the monitor held.
     *
     * @return the removed events
     */
    List<EventRecord> purge(Predicate<EventRecord> doomed) {
        View current = view;
        List<EventRecord> kept = new ArrayList<>();
        List<EventRecord> removed = new ArrayList<>();
        for (int i = 0; i < current.size; i++) {
            EventRecord e = current.get(i);
            (doomed.test(e) ? removed : kept).add(e);
        }
        if (removed.isEmpty()) {
            return removed;
        }
        long removedBytes = 0;
        for (EventRecord e : removed) {
            removedBytes += RecordSizes.of(e, "event");
            ids.remove(e.id());
        }
        EventRecord[][] chunks = new EventRecord[(kept.size() + CHUNK - 1) / CHUNK][];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = new EventRecord[CHUNK];
        }
        stats = EventStats.builder(job);
        for (int i = 0; i < kept.size(); i++) {
            chunks[i / CHUNK][i % CHUNK] = kept.get(i);
            stats.add(kept.get(i));
        }
        bytes -= removedBytes;
        view = new View(chunks, kept.size());
        return removed;
    }

    /**
     * Fills this fresh log from a snapshot. Call with the monitor held, before the log is shared.
     *
     * @throws IllegalArgumentException if the events are not the job's, not in strictly increasing sequence order,
     *                                  have duplicate ids or exceed the high-water mark
     */
    void load(List<EventRecord> records, long highWaterMark) {
        long last = 0;
        long size = 0;
        for (EventRecord r : records) {
            if (!r.job().equals(job)) {
                throw new IllegalArgumentException("event '" + r.id() + "' belongs to job " + r.job()
                        + ", not to " + job);
            }
            if (r.sequence() <= last) {
                throw new IllegalArgumentException("event sequences of job " + job + " are not strictly increasing at "
                        + r.sequence());
            }
            if (ids.contains(r.id())) {
                throw new IllegalArgumentException("event id '" + r.id() + "' occurs twice in job " + job);
            }
            last = r.sequence();
            ids.add(r.id());
            size += RecordSizes.of(r, "event");
        }
        if (last > highWaterMark) {
            throw new IllegalArgumentException("job " + job + " holds sequence " + last
                    + " above its high-water mark " + highWaterMark);
        }
        ids.clear();
        commit(new Prepared(records, size, 0, List.of()));
        highWater = highWaterMark;
    }

    /** Bytes of all held events, as charged to the budget. Call with the monitor held. */
    long bytes() {
        return bytes;
    }

    long highWater() {
        return highWater;
    }

    EventStats stats() {
        return stats.build();
    }

}
