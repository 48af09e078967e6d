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
            // Walk complete lines from the end backwards. A candidate (a valid line without batch_more) is confirmed
            // by the start of its write: the previous line without batch_more, or the start of the file. A line with
            // a NUL byte in between means the write has a hole (blocks of a write cut short by a power loss, beyond
            // zeros that readers stop at): the candidate is not committed and the walk goes on before it.
            int lineEnd = lastIndexOf(buf, limit - 1);
            long candidateEnd = -1;
            long candidateSeq = 0;
            while (lineEnd >= 0) {
                int prevNl = lastIndexOf(buf, lineEnd - 1);
                if (prevNl < 0 && from > 0) {
                    break; // the line may start before the window
                }
                int lineStart = prevNl + 1;
                if (hasNul(buf, lineStart, lineEnd)) {
                    candidateEnd = -1;
                } else {
                    EventLine line = EventCodec.parse(buf, lineStart, lineEnd - lineStart);
                    if (line != null && !line.batchMore()) {
                        if (candidateEnd >= 0) {
                            return new TailScan(candidateEnd, candidateSeq, size);
                        }
                        candidateEnd = from + lineEnd + 1;
                        candidateSeq = line.sequence();
                    }
                }
                lineEnd = prevNl;
            }
            if (from == 0) {
                return candidateEnd >= 0 ? new TailScan(candidateEnd, candidateSeq, size) : new TailScan(0, 0, size);
            }
            if (window >= Integer.MAX_VALUE / 2) {
                throw new IOException("event line longer than 1 GiB");
            }
            window *= 4;
        }
    }

    private static boolean hasNul(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == 0) {
                return true;
            }
        }
        return false;
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
