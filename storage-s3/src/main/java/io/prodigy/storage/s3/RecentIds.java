package io.prodigy.storage.s3;

import io.prodigy.storage.event.EventStorage;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ids of one job's most recent events, as this process has read or written them: the look-up behind idempotent
 * appends. It covers the sequences up to {@link #through()}, at least the last {@link EventStorage#IDEMPOTENCY_WINDOW}
 * of them (older ones are dropped). An append checks its batch against it after catching it up to the log end it is
 * about to write after, so the create-only write that wins that slot was decided on every id below it: a lost race
 * catches up again and decides again. Guarded by its own monitor.
 */
final class RecentIds {

    private final TreeMap<Long, String> bySequence = new TreeMap<>();
    private final Map<String, Long> byId = new HashMap<>();
    private long through;

    /** The highest sequence up to which every stored id is held. */
    synchronized long through() {
        return through;
    }

    /** The sequence of {@code id}, or {@code null} if it is not among the recent ids. */
    synchronized Long sequenceOf(String id) {
        return byId.get(id);
    }

    /** Adds an event read from or written to the log. */
    synchronized void add(long sequence, String id) {
        bySequence.put(sequence, id);
        byId.put(id, sequence);
    }

    /** Forgets {@code id}: its event was purged or deleted (possibly by another process). */
    synchronized void forget(String id) {
        Long sequence = byId.remove(id);
        if (sequence != null) {
            bySequence.remove(sequence, id);
        }
    }

    /**
     * Records that every id up to {@code sequence} is now held (the caller added the events between {@link #through()}
     * and it), and drops ids that fell out of the window.
     */
    synchronized void advance(long sequence) {
        through = Math.max(through, sequence);
        long oldest = through - EventStorage.IDEMPOTENCY_WINDOW;
        while (!bySequence.isEmpty() && bySequence.firstKey() <= oldest) {
            Map.Entry<Long, String> old = bySequence.pollFirstEntry();
            byId.remove(old.getValue(), old.getKey());
        }
    }
}
