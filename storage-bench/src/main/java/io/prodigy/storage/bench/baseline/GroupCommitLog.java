package io.prodigy.storage.bench.baseline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The physical-limit baseline for durable appends: one appending file, and concurrent writers sharing fsyncs by
 * leader/follower group commit. A writer enqueues its bytes; if no flush is running it becomes the leader, takes
 * everything queued so far, writes it with one gathering write, calls {@link FileChannel#force(boolean) force(false)}
 * (fdatasync) once, and wakes the writers it covered; otherwise it waits for a flush that covers it. No thread hand-off
 * happens when a writer is alone, so one thread pays exactly one write plus one fdatasync per append.
 *
 * <p>Contract: when {@link #append} returns, its bytes are on stable storage, after every byte of every append that
 * returned before it started. Appends are written whole and in the order they were enqueued. Thread-safe.
 *
 * <p>Two ways to lay out the file: {@link #open appending} (every write grows the file, so every fdatasync also
 * writes the inode's new size) and {@link #openPreallocated preallocated} (the file is zero-filled and forced ahead of
 * the data, and appends overwrite the zeros, so an fdatasync writes data blocks only): the second is the disk's real
 * limit for a durable log, as etcd's WAL and SQLite's reused WAL get it.
 *
 * <p>It is deliberately minimal: no sequence numbers, no index, no recovery. It is what the disk allows, not a store.
 */
public final class GroupCommitLog implements AutoCloseable {

    /** How far a preallocated log grows its zero-filled tail when the data reaches it (in the measured path). */
    public static final long PREALLOCATION_STEP = 64L * 1024 * 1024;

    private final FileChannel channel;
    private final boolean preallocated;
    private long allocated;
    private long position;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushDone = lock.newCondition();
    private List<ByteBuffer> queued = new ArrayList<>();
    private long enqueuedTickets;
    private long durableTickets;
    private boolean flushing;
    private IOException failure;
    private long flushes;
    private long bytesWritten;

    private GroupCommitLog(FileChannel channel, boolean preallocated, long allocated) {
        this.channel = channel;
        this.preallocated = preallocated;
        this.allocated = allocated;
    }

    /** Opens (creating if needed) {@code file} for appending. */
    public static GroupCommitLog open(Path file) throws IOException {
        return new GroupCommitLog(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), false, 0);
    }

    /**
     * Creates {@code file} zero-filled to {@code bytes} and forced (before any append, so outside a measurement), for
     * appends that overwrite the zeros from offset 0. Past {@code bytes} the log grows its zeros by
     * {@value #PREALLOCATION_STEP} bytes at a time, inside the flush that reaches them.
     */
    public static GroupCommitLog openPreallocated(Path file, long bytes) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            zeroFill(ch, 0, bytes);
            ch.force(true);
            return new GroupCommitLog(ch, true, bytes);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void zeroFill(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(1024 * 1024);
        for (long pos = from; pos < to; ) {
            zeros.clear();
            zeros.limit((int) Math.min(zeros.capacity(), to - pos));
            while (zeros.hasRemaining()) {
                pos += ch.write(zeros, pos);
            }
        }
    }

    /**
     * Appends {@code data} (from its position to its limit; the buffer itself is not modified) and returns once it is
     * durable.
     *
     * @throws IOException if the write or the fsync failed; the log refuses further appends after a failure, because
     *                     what reached the disk is then unknown
     */
    public void append(ByteBuffer data) throws IOException {
        lock.lock();
        try {
            if (failure != null) {
                throw new IOException("log failed earlier", failure);
            }
            queued.add(data.duplicate());
            long ticket = ++enqueuedTickets;
            while (durableTickets < ticket) {
                if (failure != null) {
                    throw new IOException("group flush failed", failure);
                }
                if (flushing) {
                    flushDone.awaitUninterruptibly();
                    continue;
                }
                lead();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held; releases it while writing and forcing. */
    private void lead() {
        flushing = true;
        List<ByteBuffer> batch = queued;
        long upTo = enqueuedTickets;
        queued = new ArrayList<>();
        lock.unlock();
        IOException error = null;
        long written = 0;
        try {
            written = writeFully(batch);
            if (preallocated && position + written > allocated) {
                long target = position + written + PREALLOCATION_STEP;
                zeroFill(channel, position + written, target);
                allocated = target;
            }
            position += written;
            channel.force(false);
        } catch (IOException e) {
            error = e;
        } finally {
            lock.lock();
            flushing = false;
            if (error != null) {
                failure = error;
            } else {
                durableTickets = upTo;
                flushes++;
                bytesWritten += written;
            }
            flushDone.signalAll();
        }
    }

    private long writeFully(List<ByteBuffer> batch) throws IOException {
        ByteBuffer[] buffers = batch.toArray(ByteBuffer[]::new);
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        long left = total;
        int first = 0;
        if (preallocated) {
            channel.position(position); // the channel is not in append mode: write where the data ends
        }
        while (left > 0) {
            left -= channel.write(buffers, first, buffers.length - first);
            while (first < buffers.length && !buffers[first].hasRemaining()) {
                first++;
            }
        }
        return total;
    }

    /** How many fsyncs have completed; with N concurrent writers it grows slower than the append count. */
    public long flushes() {
        lock.lock();
        try {
            return flushes;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes made durable so far. */
    public long bytesWritten() {
        lock.lock();
        try {
            return bytesWritten;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
