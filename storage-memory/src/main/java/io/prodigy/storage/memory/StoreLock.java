package io.prodigy.storage.memory;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/** A store's own read-write lock, as a pair of scoped helpers so no path forgets to unlock. */
final class StoreLock {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    void write(Runnable action) {
        write(() -> {
            action.run();
            return null;
        });
    }
}
