package io.prodigy.storage.file.event;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the committed events of one segment file, in order, lazily.
 *
 * <ul>
 *   <li>Compression is detected from the content (gzip magic {@code 1f 8b}), not the name: the original tool wrote
 *       plain text into {@code .jsonl.gz} files.</li>
 *   <li>The data ends at the first NUL byte (the zero-filled tail of a preallocated active segment, see
 *       {@link SegmentEnd}) or at the end of the file.</li>
 *   <li>Only complete lines count: a final line without {@code '\n'} is a write in progress or a torn write.</li>
 *   <li>Lines flagged {@code batch_more} are held back until the line that completes their write arrives; at end of
 *       file any held-back lines belong to an unfinished write and are dropped. So a batch is seen whole or not at
 *       all.</li>
 *   <li>An unparsable line is skipped with one warning naming the file, line and byte offset; the rest of the file
 *       stays readable.</li>
 *   <li>A sealed segment is only ever written whole, so one that ends inside a write was damaged (cut) after it was
 *       written: its complete event lines are still served (they were committed when it was sealed), the incomplete
 *       last line is skipped, and a warning saying exactly that is logged on every read.</li>
 * </ul>
 */
final class SegmentReader implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentReader.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final int MAX_WARNED = 10_000;

    private final Path path;
    private final InputStream in;
    private final boolean compressed;
    private byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean eof;
    private long offset; // file (uncompressed stream) offset of buf[start]
    private long lineNumber; // 0 when reading started mid-file (unknown)
    private final ArrayDeque<EventLine> pending = new ArrayDeque<>();
    private final ArrayDeque<EventLine> ready = new ArrayDeque<>();
    private long committedEnd;
    private long committedLastSequence;
    private final long startOffset;
    private final boolean sealed;
    private boolean endChecked;
    /** Plain files: reading stops at this offset (a write boundary), or at the end of the data. */
    private long limit = Long.MAX_VALUE;
    private long readPos; // offset of the next byte to read from the stream (plain files)

    private SegmentReader(Path path, InputStream in, boolean compressed, long startOffset) {
        this.path = path;
        this.readPos = startOffset;
        this.sealed = SegmentFile.parse(path).map(s -> !s.isActive()).orElse(false);
        this.in = in;
        this.compressed = compressed;
        this.offset = startOffset;
        this.startOffset = startOffset;
        this.committedEnd = startOffset;
        this.lineNumber = startOffset == 0 ? 0 : -1;
    }

    /** Opens {@code path} from the start. */
    static SegmentReader open(Path path) throws IOException {
        return open(path, 0);
    }

    /**
     * Opens {@code path} at {@code startOffset}, a committed boundary remembered earlier, if the file still agrees:
     * the offset follows a newline and the line there is the event {@code expectNext}. Otherwise (the file was
     * edited in place, or the offset is stale) it reads from the start. A gzip file is always read from the start.
     */
    static SegmentReader open(Path path, long startOffset, long expectNext) throws IOException {
        if (startOffset > 0 && !resumableAt(path, startOffset, expectNext)) {
            startOffset = 0;
        }
        return open(path, startOffset);
    }

    private static boolean resumableAt(Path path, long offset, long expectNext) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (offset > ch.size()) {
                return false;
            }
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate((int) Math.min(64 * 1024, ch.size() - offset + 1));
            ch.read(bb, offset - 1);
            byte[] b = bb.array();
            int n = bb.position();
            if (n == 0 || b[0] != '\n') {
                return false;
            }
            if (n == 1) {
                return true; // nothing after the offset yet
            }
            for (int i = 1; i < n; i++) {
                if (b[i] == '\n') {
                    EventLine first = EventCodec.parse(b, 1, i - 1);
                    return first != null && first.sequence() == expectNext;
                }
            }
            return true; // an unfinished line: nothing committed after the offset yet
        }
    }

    /** Opens {@code path} at a committed boundary known to be valid (or 0). */
    static SegmentReader open(Path path, long startOffset) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        try {
            java.nio.ByteBuffer magic = java.nio.ByteBuffer.allocate(2);
            while (magic.hasRemaining() && ch.read(magic, magic.position()) > 0) {
                // positional: a plain file is then read from startOffset only, never from its start
            }
            if (magic.position() == 2 && (magic.get(0) & 0xff) == 0x1f && (magic.get(1) & 0xff) == 0x8b) {
                InputStream raw = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
                return new SegmentReader(path, new GZIPInputStream(raw, 64 * 1024), true, 0);
            }
            ch.position(startOffset);
            // No buffering stream: the reader reads in large chunks into its own buffer, and stops at a limit.
            return new SegmentReader(path, Channels.newInputStream(ch), false, startOffset);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Opens a plain {@code path} to read the committed events from {@code startOffset} to {@code endOffset}, both
     * write boundaries taken from the segment's index (a block range of its time index). A compressed file is read
     * whole.
     */
    static SegmentReader openRange(Path path, long startOffset, long endOffset) throws IOException {
        SegmentReader r = open(path, startOffset);
        if (!r.compressed) {
            r.limit = endOffset;
        }
        return r;
    }

    boolean compressed() {
        return compressed;
    }

    /** The offset reading started at (0 when it fell back to the start). */
    long startOffset() {
        return startOffset;
    }

    /** The next committed event, or {@code null} at the end of the committed data. */
    EventLine next() throws IOException {
        while (ready.isEmpty()) {
            int nl = findNewline();
            if (nl < 0) {
                if (sealed && !endChecked) {
                    endChecked = true;
                    if (servedDamagedEnd()) {
                        continue;
                    }
                }
                pending.clear(); // an unfinished write at the end of the file
                return null;
            }
            int len = nl - start;
            long lineStart = offset;
            if (lineNumber >= 0) {
                lineNumber++;
            }
            EventLine line = EventCodec.parse(buf, start, len);
            offset += len + 1;
            start = nl + 1;
            if (line == null) {
                warnCorrupt(lineStart, len);
                continue;
            }
            pending.add(line);
            if (!line.batchMore()) {
                ready.addAll(pending);
                pending.clear();
                committedEnd = offset;
                committedLastSequence = line.sequence();
            }
        }
        return ready.poll();
    }

    /**
     * Offset just after the last committed write read so far (a safe place to resume or to truncate to). Only
     * meaningful for plain files.
     */
    long committedEnd() {
        return committedEnd;
    }

    /** Sequence of the line that completed the last committed write read so far (0 if none). */
    long committedLastSequence() {
        return committedLastSequence;
    }

    private int findNewline() throws IOException {
        int scanFrom = start;
        while (true) {
            for (int i = scanFrom; i < end; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            if (eof) {
                return -1;
            }
            // compact and refill
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buf.length) {
                byte[] grown = new byte[buf.length * 2];
                System.arraycopy(buf, 0, grown, 0, end);
                buf = grown;
            }
            scanFrom = end;
            int want = compressed ? buf.length - end : (int) Math.min(buf.length - end, limit - readPos);
            int n = want == 0 ? -1 : in.read(buf, end, want);
            if (n < 0) {
                eof = true;
            } else {
                readPos += n;
                int nul = indexOfNul(buf, end, end + n);
                if (nul >= 0) {
                    end = nul; // the zero-filled tail of a preallocated segment: the data ends here
                    eof = true;
                } else {
                    end += n;
                }
            }
        }
    }

    private static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** At the end of a sealed segment: reports a cut end, and releases the complete lines held back before it. */
    private boolean servedDamagedEnd() {
        int partial = end - start;
        if (pending.isEmpty() && partial == 0) {
            return false;
        }
        LOG.warn("The sealed event segment '{}' is damaged: it ends inside a write{}{}. Sealed segments are written"
                + " whole, so the file was cut after it was written; the rest of the job's events are served. Restore"
                + " the file from a backup if you have one.", path, pending.isEmpty() ? ""
                        : " (" + pending.size() + " complete event(s), sequences " + pending.peekFirst().sequence()
                                + ".." + pending.peekLast().sequence() + ", of a write whose last line is missing are"
                                + " served)", partial == 0 ? "" : "; " + partial + " trailing byte(s) of an incomplete"
                                        + " line at byte offset " + offset + " are skipped");
        if (pending.isEmpty()) {
            return false;
        }
        committedLastSequence = pending.peekLast().sequence();
        committedEnd = offset;
        ready.addAll(pending);
        pending.clear();
        return true;
    }

    private void warnCorrupt(long lineStart, int len) {
        String key = path + "@" + lineStart;
        if (WARNED.size() < MAX_WARNED && WARNED.add(key)) {
            LOG.warn("Skipping an unreadable line in event file '{}' ({}byte offset {}, {} bytes): it is not a valid"
                    + " event record. The other events of the file are still read.", path,
                    lineNumber > 0 ? "line " + lineNumber + ", " : "", lineStart, len);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
