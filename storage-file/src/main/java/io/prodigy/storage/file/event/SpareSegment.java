package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.FileModes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The next active segment of a job, made ahead and off the append path: a hidden file in the job directory,
 * zero-filled to {@code max_file_size} and synced by the store's background thread while the current segment fills
 * (etcd's WAL does the same with its file pipeline), so that the appends after a rotation overwrite allocated,
 * durable zeros from their first byte and no append waits for zeros to be written. Without it the writer grows the
 * active segment's zero-filled tail itself, a {@link SegmentEnd#chunk chunk} at a time, inside an append: on the disk
 * of docs/perf.md a 4 MiB chunk took about 12 ms, once every 160 appends of 100 events, a quarter of the mean append
 * time.
 *
 * <p><b>When.</b> Asked for by the job's writer once its active segment passes half of {@code max_file_size}; at
 * most one per job log at a time; not made when the file system has less than twice its size free.
 *
 * <p><b>Who may touch it.</b> Named like a temp file ({@code .spare.<random>.tmp}), so segment listings, readers and
 * other processes' writers ignore it. Recovery and rewrites, which hold the job's guard, delete temp files: if they
 * delete a spare that this process is making or holds, taking it fails and the rotation creates its segment as
 * without a spare. A crash leaves at most one per job and writer, removed by the next recovery of the job or by the
 * maintenance sweep of stale temp files. The writer takes it (renames it to the new segment's name) while holding the
 * commit lock and the guard, exactly where it would have created the segment; a spare still being made is kept for
 * the next rotation. Closing the job log deletes a spare that is ready; one still being made deletes itself when done.
 *
 * <p><b>Durability.</b> The zeros are forced ({@code fsync}) before the spare counts as ready, so the new segment's
 * blocks hold zeros on disk before any data is written over them: a crash leaves data, then zeros, as the format
 * requires (docs/file-layout.md), never stale blocks.
 */
final class SpareSegment {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpareSegment.class);

    /** Zeros are forced every this many bytes, so the page cache never holds much of a spare's dirty data. */
    private static final long FORCE_EVERY = 8L * 1024 * 1024;

    private static final int IDLE = 0;
    private static final int MAKING = 1;
    private static final int READY = 2;
    /** Making one failed: no new attempt until the next rotation. */
    private static final int FAILED = 3;

    private final Path dir;
    private final long size;
    private final Object job;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile Path ready;
    private volatile boolean closed;

    SpareSegment(Object job, Path dir, long size) {
        this.job = job;
        this.dir = dir;
        this.size = size;
    }

    /** Asks {@code background} to make a spare unless one is made, being made, or failed for this segment. */
    void request(Executor background) {
        if (closed || !state.compareAndSet(IDLE, MAKING)) {
            return;
        }
        try {
            background.execute(this::make);
        } catch (RejectedExecutionException e) {
            state.set(FAILED); // the store is closing
        }
    }

    /**
     * Renames the ready spare to {@code target} and opens it for reading and writing (holding the commit lock and the
     * guard); {@code null} if no spare is ready or it is gone (another process's recovery deleted it). The caller then
     * creates the segment itself.
     */
    FileChannel takeAs(Path target) {
        int s = state.get();
        if (s == FAILED) {
            state.compareAndSet(FAILED, IDLE); // a new segment: a new attempt
            return null;
        }
        if (s != READY) {
            return null;
        }
        Path spare = ready;
        ready = null;
        state.set(IDLE);
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                // Never replace a file: a rename would (the guard makes this impossible; the check keeps it so).
                Files.deleteIfExists(spare);
                return null;
            }
            Files.move(spare, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.debug("Job {}: not using the spare segment {}: {}", job, spare, e.toString());
            deleteQuietly(spare);
            return null;
        }
        try {
            return FileChannel.open(target, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            LOG.debug("Job {}: could not open the spare segment renamed to {}: {}", job, target, e.toString());
            deleteQuietly(target); // holds zeros only: nothing was written to it
            return null;
        }
    }

    /** Deletes a ready spare and makes one still being made delete itself (the job log is closing). */
    void discard() {
        closed = true;
        Path spare = ready;
        if (spare != null && state.compareAndSet(READY, IDLE)) {
            ready = null;
            deleteQuietly(spare);
        }
    }

    /** Whether a spare is ready (for tests). */
    boolean isReady() {
        return state.get() == READY;
    }

    private void make() {
        Path spare = dir.resolve(".spare." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean made = false;
        try {
            if (closed || Files.getFileStore(dir).getUsableSpace() < 2 * size) {
                state.set(FAILED);
                return;
            }
            try (FileChannel ch = FileChannel.open(spare, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FileModes.fileAttributes())) {
                for (long pos = 0; pos < size && !closed; ) {
                    long end = Math.min(size, pos + FORCE_EVERY);
                    SegmentEnd.zeroFill(ch, pos, end);
                    ch.force(false);
                    pos = end;
                }
                ch.force(true);
            }
            made = !closed;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Job {}: could not make a spare segment: {}", job, e.toString());
        } finally {
            if (made) {
                ready = spare;
                state.set(READY);
                if (closed) {
                    discard(); // closed while publishing
                }
            } else {
                deleteQuietly(spare);
                state.set(FAILED);
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file: recovery or the maintenance sweep removes it
        }
    }
}
