package io.prodigy.storage.file.io;

import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.support.deadline.CallDeadline;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks on guard files ({@code .guard}), for read-check-write sequences that must be atomic across threads
 * and processes.
 *
 * <p>Two layers, always taken in this order: a JVM-wide {@link ReentrantLock} per guard path (threads, and several
 * open stores in one JVM, queue here), then an OS lock ({@link FileChannel#lock()}) that excludes other processes.
 * The JVM-wide layer is needed because the OS lock belongs to the process: a second {@code lock()} from the same JVM
 * would throw {@link java.nio.channels.OverlappingFileLockException} instead of waiting.
 *
 * <p>Both waits honour the deadline of the storage call on this thread ({@link CallDeadline}, set by the timeout
 * layer): past it, {@link #acquire} gives up with {@link CallDeadline.Exceeded} and holds nothing. These are the only
 * points where a file-backend call waits for another thread or process, which is why the file backend declares
 * {@link io.prodigy.storage.support.deadline.BoundedWaits}.
 *
 * <p>Guard files are only ever opened here and never deleted or renamed: POSIX drops every lock a process holds on a
 * file when any descriptor of it is closed, and a lock on an unlinked file would exclude nobody.
 */
public final class GuardFiles {

    private static final ConcurrentMap<Path, Entry> ENTRIES = new ConcurrentHashMap<>();
    static final long FIRST_POLL_MICROS = 100;
    static final long MAX_POLL_MICROS = 5_000;

    private GuardFiles() {}

    /**
     * Takes the guard, waiting as long as needed.
     *
     * @param guardFile the guard file; its directory must exist (the file is created if missing)
     * @param osLock    {@code false} when {@code enable_file_locks} is off: only threads of this JVM are excluded
     * @param keepOpen  keep the descriptor open after release (hot guards such as a job's event log)
     */
    public static Guard acquire(Path guardFile, boolean osLock, boolean keepOpen) throws IOException {
        return handle(guardFile).acquire(osLock, keepOpen);
    }

    /** A reusable handle on one guard file, for hot paths that take the same guard over and over. */
    public static Handle handle(Path guardFile) {
        Path key = guardFile.toAbsolutePath().normalize();
        return new Handle(key, ENTRIES.computeIfAbsent(key, k -> new Entry()));
    }

    /** See {@link #handle(Path)}. Entries are never removed, so a handle stays valid. */
    public static final class Handle {
        private final Path key;
        private final Entry entry;

        private Handle(Path key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        /** Like {@link GuardFiles#acquire(Path, boolean, boolean)}. */
        public Guard acquire(boolean osLock, boolean keepOpen) throws IOException {
            return GuardFiles.lock(key, entry, osLock, keepOpen);
        }

        /** Like {@link GuardFiles#closeIfIdle(Path)}. */
        public void closeIfIdle() {
            GuardFiles.closeIfIdle(entry);
        }
    }

    private static Guard lock(Path key, Entry entry, boolean osLock, boolean keepOpen) throws IOException {
        lockInJvm(key, entry);
        if (!osLock || entry.lock.getHoldCount() > 1) {
            // Re-entry by the same thread: the OS lock is already held by the outer acquisition.
            return new Guard(entry, null, keepOpen);
        }
        try {
            if (entry.channel == null || !entry.channel.isOpen()) {
                entry.channel = FileChannel.open(key, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FileModes.fileAttributes());
            }
            return new Guard(entry, lockInOs(key, entry.channel), keepOpen);
        } catch (IOException | RuntimeException | Error e) {
            closeChannel(entry);
            entry.lock.unlock();
            throw e;
        }
    }

    /** Takes the JVM-wide lock, giving up at the call's deadline ({@link CallDeadline}) if one is set. */
    private static void lockInJvm(Path key, Entry entry) {
        long remaining = CallDeadline.remainingNanos();
        if (remaining == CallDeadline.NONE) {
            entry.lock.lock();
            return;
        }
        if (entry.lock.tryLock()) {
            return; // free: taken at once, as lock() would (and regardless of the thread's interrupt flag)
        }
        try {
            if (!entry.lock.tryLock(Math.max(0, remaining), TimeUnit.NANOSECONDS)) {
                throw CallDeadline.exceeded(describe(key) + ", held by another thread of this process");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("Interrupted while waiting for " + describe(key) + ".", e);
        }
    }

    /**
     * Takes the OS lock. Without a deadline it blocks in the kernel until granted. With one it tries, and while
     * another process holds the lock polls with back-off (from {@value #FIRST_POLL_MICROS} µs doubling to
     * {@value #MAX_POLL_MICROS} µs) until the deadline: the kernel's blocking lock cannot be given a time limit.
     */
    private static FileLock lockInOs(Path key, FileChannel channel) throws IOException {
        long remaining = CallDeadline.remainingNanos();
        if (remaining == CallDeadline.NONE) {
            return channel.lock();
        }
        long pollMicros = FIRST_POLL_MICROS;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            remaining = CallDeadline.remainingNanos();
            if (remaining <= 0) {
                throw CallDeadline.exceeded(describe(key) + ", held by another process");
            }
            LockSupport.parkNanos(Math.min(remaining, pollMicros * 1000));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new StorageUnavailableException("Interrupted while waiting for " + describe(key) + ".");
            }
            pollMicros = Math.min(MAX_POLL_MICROS, pollMicros * 2);
        }
    }

    private static String describe(Path guardFile) {
        return "the lock on '" + guardFile.getParent() + "'";
    }

    /**
     * Closes the kept-open descriptor of a guard nobody in this JVM holds or waits for (descriptor hygiene for
     * long-running processes); the next acquisition reopens it.
     */
    public static void closeIfIdle(Path guardFile) {
        closeIfIdle(ENTRIES.get(guardFile.toAbsolutePath().normalize()));
    }

    private static void closeIfIdle(Entry entry) {
        if (entry != null && !entry.lock.isHeldByCurrentThread() && entry.lock.tryLock()) {
            try {
                if (!entry.lock.hasQueuedThreads()) {
                    closeChannel(entry);
                }
            } finally {
                entry.lock.unlock();
            }
        }
    }

    private static void closeChannel(Entry entry) {
        if (entry.channel != null) {
            try {
                entry.channel.close();
            } catch (IOException ignored) {
                // Nothing is locked through it any more.
            }
            entry.channel = null;
        }
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        FileChannel channel; // guarded by lock
    }

    /** A held guard; close it to release. Not thread-safe: release on the thread that acquired. */
    public static final class Guard implements AutoCloseable {
        private final Entry entry;
        private final FileLock osLock;
        private final boolean keepOpen;
        private boolean released;

        private Guard(Entry entry, FileLock osLock, boolean keepOpen) {
            this.entry = entry;
            this.osLock = osLock;
            this.keepOpen = keepOpen;
        }

        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            try {
                if (osLock != null && osLock.isValid()) {
                    osLock.release();
                }
            } catch (IOException e) {
                // Closing the channel below releases the lock in any case.
                closeChannel(entry);
            } finally {
                if (osLock != null && !keepOpen && !entry.lock.hasQueuedThreads()) {
                    // Nobody in this JVM holds or waits for a lock on this file, so closing drops nothing.
                    closeChannel(entry);
                }
                entry.lock.unlock();
            }
        }
    }
}
