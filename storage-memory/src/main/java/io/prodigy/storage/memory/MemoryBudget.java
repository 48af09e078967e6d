package io.prodigy.storage.memory;

import io.prodigy.storage.error.StorageFullException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Accounts the bytes and entries the store holds and enforces {@code max_memory}.
 *
 * <p>A write reserves its growth with {@link #charge} <em>before</em> it changes anything, so a write that does not fit
 * fails with {@link StorageFullException} and leaves the store as it was. Shrinking writes and deletes always
 * succeed and give space back. Thread-safe (lock-free).
 *
 * <p>Sizes are the JSON sizes of the stored records (see {@link RecordSizes}), not the JVM heap they occupy: that is
 * what the user configures and what a snapshot takes on disk.
 */
final class MemoryBudget {

    private final long maxBytes;
    private final AtomicLong usedBytes = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();

    MemoryBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Records a change of {@code bytes} (negative frees space) and {@code entryDelta} entries.
     *
     * @param what describes the write for the error message, for example {@code "session 'abc'"}
     * @throws StorageFullException if {@code bytes > 0} and the store would exceed its limit; nothing is recorded
     */
    void charge(long bytes, long entryDelta, Supplier<String> what) {
        if (bytes > 0) {
            long current;
            do {
                current = usedBytes.get();
                if (current + bytes > maxBytes) {
                    throw full(what.get(), bytes, current);
                }
            } while (!usedBytes.compareAndSet(current, current + bytes));
        } else if (bytes < 0) {
            usedBytes.addAndGet(bytes);
        }
        entries.addAndGet(entryDelta);
    }

    /** Records data that is already held (a loaded snapshot), even past the limit: loading must not lose data. */
    void chargeUnchecked(long bytes, long entryDelta) {
        usedBytes.addAndGet(bytes);
        entries.addAndGet(entryDelta);
    }

    long usedBytes() {
        return usedBytes.get();
    }

    long maxBytes() {
        return maxBytes;
    }

    long entries() {
        return entries.get();
    }

    private StorageFullException full(String what, long needed, long used) {
        return new StorageFullException("Memory storage is full: storing " + what + " needs " + needed
                + " more bytes, but " + used + " of the " + maxBytes + " bytes allowed by"
                + " storage.backend_config.max_memory are in use. Raise max_memory, or delete data (purge old events,"
                + " prune checkpoints, purge DLQ queues, delete sessions) and retry. Nothing was stored.");
    }
}
