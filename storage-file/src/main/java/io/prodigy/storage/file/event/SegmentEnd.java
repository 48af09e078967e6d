package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where the data of a segment file ends, and the zero-filled tail that an active segment is preallocated with.
 *
 * <p><b>Why preallocate.</b> An append that grows a file makes its {@code fdatasync} also write the inode (the new
 * size), one more journal commit per durable append. The writer therefore extends the active segment ahead of its
 * data with written zeros, in {@link #chunk large chunks}, and appends by overwriting them: the following syncs write
 * data blocks only. Zeros written (not a sparse {@code setLength}) so that the blocks are allocated once, not at each
 * sync.
 *
 * <p><b>End of data.</b> The codec never writes a NUL byte (JSON escapes control characters), so the data of a segment
 * ends at its first NUL byte, or at the end of the file when there is none (a sealed segment, trimmed to its data,
 * is plain JSON lines exactly as before). A write cut short by a crash leaves a prefix of its bytes, then zeros: the
 * unfinished line before the first NUL is not committed, as an unfinished last line never was.
 */
final class SegmentEnd {

    /** How far ahead of its data the writer preallocates the active segment, at most. */
    static final long MAX_CHUNK = 4L * 1024 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1024 * 1024);
    private static final int PROBE_WINDOW = 64 * 1024;

    private SegmentEnd() {}

    /**
     * The preallocation step for a segment limited to {@code maxFileSize}: at most {@link #MAX_CHUNK}, so a small
     * segment limit does not write far more zeros than data, and a rotation trims little.
     */
    static long chunk(long maxFileSize) {
        return Math.max(4096, Math.min(MAX_CHUNK, maxFileSize / 4));
    }

    /**
     * The offset of the first NUL byte of the file, or {@code size} when it ends in something else. Data is a prefix
     * of non-NUL bytes followed by zeros, so a binary search over single-byte reads finds the boundary; the last
     * {@value #PROBE_WINDOW} bytes are scanned.
     */
    static long of(FileChannel ch, long size) throws IOException {
        if (size == 0 || !isNul(ch, size - 1)) {
            return size;
        }
        long lo = -1; // the byte at lo is data (or lo is before the file)
        long hi = size - 1; // the byte at hi is NUL
        while (hi - lo > PROBE_WINDOW) {
            long mid = lo + (hi - lo) / 2;
            if (isNul(ch, mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        ByteBuffer bb = ByteBuffer.allocate((int) (hi - lo));
        long from = lo + 1;
        readFully(ch, bb, from);
        for (int i = 0; i < bb.position(); i++) {
            if (bb.get(i) == 0) {
                return from + i;
            }
        }
        return hi;
    }

    /** Whether the byte at {@code pos} is NUL or past the end of the file: no data starts there. */
    static boolean isNul(FileChannel ch, long pos) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        return ch.read(one, pos) <= 0 || one.get(0) == 0;
    }

    /**
     * The end of the last non-NUL byte in {@code [from, size)}, or {@code from} if there is none: for a repair, which
     * sets aside everything after the committed end, including bytes a power loss may have left beyond a hole.
     */
    static long lastNonNul(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(1024 * 1024);
        long end = from;
        for (long pos = from; pos < size; ) {
            bb.clear();
            bb.limit((int) Math.min(bb.capacity(), size - pos));
            int n = ch.read(bb, pos);
            if (n <= 0) {
                break;
            }
            for (int i = n - 1; i >= 0; i--) {
                if (bb.get(i) != 0) {
                    end = pos + i + 1;
                    break;
                }
            }
            pos += n;
        }
        return end;
    }

    /** Writes zeros over {@code [from, to)} (not forced: the caller's next force covers them). */
    static void zeroFill(FileChannel ch, long from, long to) throws IOException {
        for (long pos = from; pos < to; ) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), to - pos));
            int n = z.remaining();
            AtomicFiles.writeFully(ch, z, pos);
            pos += n;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer bb, long pos) throws IOException {
        while (bb.hasRemaining()) {
            int n = ch.read(bb, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
    }
}
