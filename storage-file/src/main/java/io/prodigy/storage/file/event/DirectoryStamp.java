package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.FileTimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * The identity and modification time of a job directory, taken by the writer when it has just confirmed its view of
 * the active segment: while a later {@code stat} of the directory finds the same stamp, no entry of the directory was
 * created, renamed or removed since, so the active segment's name still leads to the file the writer holds open.
 *
 * <p><b>Why the directory, not the segment.</b> On Linux 6.13 and later (multigrain timestamps) a {@code stat} of a
 * file makes its next write stamp it with a fine-grained time, which always differs from the last one, so the inode is
 * dirty at every write and every {@code fdatasync} writes it too: one more synchronous disk write per durable append
 * (measured: 3 context switches per sync instead of 2, about 70 µs on the disk of docs/perf.md). A {@code stat} of the
 * directory has that effect on the directory only, which appends never modify.
 *
 * <p><b>When a stamp can be trusted.</b> Every change of a directory entry sets the directory's modification time to
 * the current time in the file system's granularity, so a change made after the stamp could in principle leave the
 * same time behind: on a file system with coarse timestamps, within the same tick (or second) as the change the stamp
 * recorded. A stamp is therefore only {@link #trusted()} when the time it recorded is older than the clock when it was
 * taken by more than the granularity plus a tick: {@value #SETTLED_MILLIS} ms when the time has a sub-second part (the
 * file system keeps sub-second times; Linux takes them from its coarse clock, which advances every tick, at most
 * 10 ms with HZ of 100 or more, so this is ten ticks), {@value #SETTLED_COARSE_MILLIS} ms when it has none (it may
 * keep whole or even two seconds); any later change then sets a different time. Until then the writer validates the
 * segment itself, as without a stamp. (With multigrain timestamps the {@code stat} already guarantees that the next
 * change sets a different time.) The window is short because it recurs after every rotation: with 2 s, a writer of
 * 100-event batches, which fills a 100 MB segment in about 1.3 s, never trusted a stamp and paid the inode write on
 * every append (docs/perf.md, "Where it stands after the fourth pass"). The stamp assumes the directory's times come
 * from this host's clock: a network file system whose server clock runs behind is not covered.
 */
record DirectoryStamp(Object fileKey, FileTime modified, boolean trusted) {

    /** How much older than the clock a recorded time with a sub-second part must be for the stamp to be trusted. */
    static final long SETTLED_MILLIS = FileTimes.SETTLED_MILLIS;
    /** The same for a time in whole seconds. */
    static final long SETTLED_COARSE_MILLIS = FileTimes.SETTLED_COARSE_MILLIS;

    /** The directory's stamp now. */
    static DirectoryStamp of(Path dir) throws IOException {
        long now = System.currentTimeMillis(); // the file system's clock, not the store's (which tests may fix)
        BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileTime modified = attrs.lastModifiedTime();
        return new DirectoryStamp(attrs.fileKey(), modified, attrs.fileKey() != null
                && FileTimes.isSettled(modified, now)); // the rule shared with the record caches
    }

    /** Whether {@code dir} still carries this stamp (and this stamp is trusted). */
    boolean stillHolds(Path dir) throws IOException {
        if (!trusted) {
            return false;
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false; // removed: the caller's full check finds out what happened
        }
        return Objects.equals(fileKey, attrs.fileKey()) && modified.equals(attrs.lastModifiedTime());
    }
}
