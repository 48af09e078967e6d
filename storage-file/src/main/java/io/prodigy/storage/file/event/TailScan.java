package io.prodigy.storage.file.event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where the committed data of an active segment ends by reading backwards from the end of its data (the first
 * NUL byte of a preallocated segment, see {@link SegmentEnd}, else the end of the file): the end of the last complete,
 * valid line that is not flagged {@code batch_more}. Whatever follows, up to the end of the data, is an unfinished
 * write (a crash mid-append) and is what the next appender sets aside.
 *
 * @param committedEnd  byte offset just after the last committed line (0 if none)
 * @param lastSequence  its sequence, or 0 if the file holds no committed event
 * @param dataEnd       where the data ends (the first NUL byte, or the file size)
 */
record TailScan(long committedEnd, long lastSequence, long dataEnd) {

    private static final int FIRST_WINDOW = 64 * 1024;

    /** Whether bytes of an unfinished write follow the committed end. */
    boolean torn() {
        return dataEnd > committedEnd;
    }

    static TailScan of(FileChannel ch, long fileSize) throws IOException {
        long size = SegmentEnd.of(ch, fileSize);
        int window = FIRST_WINDOW;
        while (true) {
            long from = Math.max(0, size - window);
            int len = (int) (size - from);
            ByteBuffer bb = ByteBuffer.allocate(len);
            long pos = from;
            while (bb.hasRemaining()) {
                int n = ch.read(bb, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            byte[] buf = bb.array();
            int limit = bb.position();
            // Walk complete lines from the end backwards.
            int lineEnd = lastIndexOf(buf, limit - 1);
            while (lineEnd >= 0) {
                int prevNl = lastIndexOf(buf, lineEnd - 1);
                if (prevNl < 0 && from > 0) {
                    break; // the line may start before the window
                }
                int lineStart = prevNl + 1;
                EventLine line = EventCodec.parse(buf, lineStart, lineEnd - lineStart);
                if (line != null && !line.batchMore()) {
                    return new TailScan(from + lineEnd + 1, line.sequence(), size);
                }
                lineEnd = prevNl;
            }
            if (from == 0) {
                return new TailScan(0, 0, size);
            }
            if (window >= Integer.MAX_VALUE / 2) {
                throw new IOException("event line longer than 1 GiB");
            }
            window *= 4;
        }
    }

    private static int lastIndexOf(byte[] buf, int from) {
        for (int i = from; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
