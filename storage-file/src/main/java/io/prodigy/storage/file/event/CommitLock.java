package io.prodigy.storage.file.event;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A job's commit lock for group commit: a mutex whose release wakes every waiting appender at once.
 *
 * <p>Appenders that are not the leader do not queue on the mutex: handing it from waiter to waiter one at a time, each
 * only to find its batch already written, was a lock convoy that serialized the wake-ups after every group. Instead
 * they read {@link #releases()}, {@link #tryLock() try} the mutex and, failing, {@link #awaitRelease wait} until it is
 * released (or their batch is done); then all of them look at once, those covered return and one of the rest leads.
 * Reading the release count before trying the mutex makes a release in between end the wait at once, so no wake-up is
 * lost.
 */
final class CommitLock {

    private final ReentrantLock mutex = new ReentrantLock();
    private final ReentrantLock waitLock = new ReentrantLock();
    private final Condition released = waitLock.newCondition();
    /** How often the mutex was released; written under {@link #waitLock}, read without it. */
    private volatile long releases;

    /** Takes the mutex, waiting as long as needed (exclusive work: purge, retention, compression, close). */
    void lock() {
        mutex.lock();
    }

    boolean tryLock() {
        return mutex.tryLock();
    }

    /** Releases the mutex and wakes every thread in {@link #awaitRelease}. */
    void unlock() {
        mutex.unlock();
        waitLock.lock();
        try {
            releases++;
            released.signalAll();
        } finally {
            waitLock.unlock();
        }
    }

    /** The release count, to read before {@link #tryLock()} and pass to {@link #awaitRelease}. */
    long releases() {
        return releases;
    }

    /**
     * Waits until {@code done} holds or the mutex has been released since {@code seen} was read. Not interruptible,
     * like the {@code lock()} it replaces: an append that was queued must learn its outcome.
     */
    void awaitRelease(BooleanSupplier done, long seen) {
        waitLock.lock();
        try {
            while (!done.getAsBoolean() && releases == seen) {
                released.awaitUninterruptibly();
            }
        } finally {
            waitLock.unlock();
        }
    }
}
