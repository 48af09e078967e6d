package io.prodigy.storage.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * What every store of one open memory storage shares: the clock, the memory budget, and the open/closed state.
 *
 * <p><b>Quiescing.</b> Every mutation runs inside {@link #mutate}, which holds the shared side of one read-write lock;
 * {@link #exclusive} holds its exclusive side. A snapshot therefore sees all stores at one point in time (no write
 * half-way, lock high-water marks consistent with the fenced writes they guard), and {@code close()} can stop writes
 * before it writes the final snapshot. Reads do not take the lock: each store keeps its own data consistent.
 *
 * <p><b>Lock order</b> (to stay deadlock-free): this quiesce lock, then a store's own lock, then the lease store's
 * monitor.
 */
final class StoreState {

    private final Clock clock;
    private final MemoryBudget budget;
    private final ReentrantReadWriteLock quiesce = new ReentrantReadWriteLock();
    private volatile boolean closed;

    StoreState(Clock clock, MemoryBudget budget) {
        this.clock = clock;
        this.budget = budget;
    }

    Clock clock() {
        return clock;
    }

    Instant now() {
        return clock.instant();
    }

    MemoryBudget budget() {
        return budget;
    }

    /** Runs a mutation: fails if the storage is closed, and holds off snapshots while it runs. */
    <T> T mutate(Supplier<T> mutation) {
        quiesce.readLock().lock();
        try {
            ensureOpen();
            return mutation.get();
        } finally {
            quiesce.readLock().unlock();
        }
    }

    void mutate(Runnable mutation) {
        mutate(() -> {
            mutation.run();
            return null;
        });
    }

    /** Runs {@code action} while no mutation runs (snapshot capture, close). */
    <T> T exclusive(Supplier<T> action) {
        quiesce.writeLock().lock();
        try {
            return action.get();
        } finally {
            quiesce.writeLock().unlock();
        }
    }

    /** @throws StorageClosedException after {@code close()} */
    void ensureOpen() {
        if (closed) {
            throw new StorageClosedException();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Marks the storage closed; call inside {@link #exclusive} so no mutation is in flight. */
    void markClosed() {
        closed = true;
    }
}
