package io.prodigy.storage.support;

import java.time.Duration;

/**
 * Wake-up hints for subscribers: a version counter that any source (an append in this process, a file-system watch,
 * a database notification) bumps, and that pollers wait on. A hint carries no data; consumers re-read the store, so a
 * lost hint delays a subscriber by at most its poll interval and never loses an event.
 *
 * <p>Thread-safe. {@link #signal()} never blocks and is cheap enough to call on every append.
 */
public final class ChangeNotifier {

    private final Object monitor = new Object();
    private long version;

    /** The current version; pass it to {@link #awaitChange} after reading the store. */
    public long version() {
        synchronized (monitor) {
            return version;
        }
    }

    /** Something may have changed: wake every waiter. */
    public void signal() {
        synchronized (monitor) {
            version++;
            monitor.notifyAll();
        }
    }

    /**
     * Waits until the version differs from {@code seen} or {@code timeout} passes.
     *
     * @return {@code true} if a change was signalled
     */
    public boolean awaitChange(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (version == seen) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                monitor.wait(Math.max(1, remaining / 1_000_000), 0);
            }
            return true;
        }
    }
}
