package io.prodigy.storage.file.io;

import java.nio.file.attribute.FileTime;

/**
 * When a modification time seen by a {@code stat} tells every later change apart: the rule shared by the caches that
 * recognise an unchanged file or directory by its inode and time ({@link RecordIndex}, the checkpoint parse cache,
 * the event writer's directory stamp).
 *
 * <p>A change sets the time to the current time in the file system's granularity, taken on Linux from a coarse clock
 * that advances once a tick (at most 10 ms with HZ of 100 or more; 4 ms on the development machine). A change made
 * within the same tick as the one whose time was recorded can therefore leave the same time behind: in place, or in a
 * new file that got the freed inode number of the old one (Linux reuses it at once, so a record replaced twice by
 * rename within one tick can show the same inode, size and time as the version a cache holds; measured on ext2: up to
 * a third of the reads that skipped a version, docs/file-layout.md). Linux 6.13's multigrain timestamps (ext4, xfs,
 * btrfs, tmpfs) close that hole for a file whose time was {@code stat}ed, but not other kernels and file systems.
 *
 * <p>A time is <em>settled</em> when it is older than the clock, read before the {@code stat} that saw it, by more
 * than the granularity plus a tick: {@value #SETTLED_MILLIS} ms when the time has a sub-second part (ten ticks),
 * {@value #SETTLED_COARSE_MILLIS} ms when it has none (the file system may keep whole or even two seconds). Any change
 * made after such a {@code stat} sets a later time, so a cache entry may trust an unchanged inode and time only when the
 * time was settled when the entry was made. The times are assumed to come from this host's clock (a local file
 * system); a clock stepped back does not weaken this, since a later change is only missed if it sets exactly the
 * recorded time.
 */
public final class FileTimes {

    /** How much older than the clock a time with a sub-second part must be to be settled. */
    public static final long SETTLED_MILLIS = 100;
    /** The same for a time in whole seconds. */
    public static final long SETTLED_COARSE_MILLIS = 5_000;

    private FileTimes() {}

    /**
     * Whether {@code modified} is settled: whether every change made after a {@code stat} that saw it sets another
     * time.
     *
     * @param nowMillis {@link System#currentTimeMillis()} read before that {@code stat}: the file system's clock,
     *                  never the store's (which tests may fix)
     */
    public static boolean isSettled(FileTime modified, long nowMillis) {
        long millis = modified.toMillis();
        if (millis >= nowMillis - SETTLED_MILLIS) {
            return false; // the common case for a file just written, decided without looking at the sub-second part
        }
        return millis < nowMillis - SETTLED_COARSE_MILLIS || modified.toInstant().getNano() != 0;
    }
}
