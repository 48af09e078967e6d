package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.FileModes;
import io.prodigy.storage.id.JobRef;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a job log's view of its segments from the directory, repairing what interrupted operations left behind:
 * redundant copies are deleted, temp files removed, stray active segments sealed, and a damaged tail of the active
 * segment moved aside. Runs only under the job's guard, so no other writer is active.
 *
 * <p><b>Repair never destroys bytes.</b> What follows the committed end of a segment (a write cut short by a crash,
 * or an end damaged by something else: the two look alike) is first copied to a file beside the segment,
 * {@code {segment name}.damaged-{offset}-{yyyyMMdd_HHmmss}}, forced, and only then cut from the segment. The warning
 * says exactly what was set aside; it says the write "may not have been acknowledged" only when the set-aside bytes
 * look like a write whose last line is missing (the only case a crashed writer leaves).
 *
 * <p><b>Sequences are never handed out twice.</b> The highest sequence seen anywhere, including in the set-aside
 * bytes, becomes the last sequence of the repaired segment's sealed name, which is the sequence floor every writer
 * continues after. The repaired segment is sealed (an empty one kept if it vouches for set-aside sequences), and
 * the next append starts a new segment: no byte is ever written where damaged bytes were, so a reader that buffered
 * them only ever sees that file end, never new events spliced onto stale bytes.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    private static final Pattern SEQUENCE = Pattern.compile("^\\{\"sequence\":(\\d{1,18})[,}]");
    private static final Set<OpenOption> READ_WRITE = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    private Recovery() {}

    static ActiveSegment recover(JobRef job, Path dir, Instant now) throws IOException {
        Segments segs = Segments.scan(dir);
        segs.checkWritable();
        for (SegmentFile r : segs.redundant()) {
            LOG.info("Removing '{}': a complete copy of it exists (left by an interrupted rotation).", r.path());
            Files.deleteIfExists(r.path());
        }
        for (Path tmp : Segments.tempFiles(dir)) {
            // Temp files are written under this guard, but for spare segments (SpareSegment), which a writer's
            // background thread makes without it: deleting one only makes that writer create its next segment itself.
            Files.deleteIfExists(tmp);
        }
        List<SegmentFile> live = segs.live();
        ActiveSegment a = ActiveSegment.none(0);
        long floor = 0;
        for (int i = 0; i < live.size(); i++) {
            SegmentFile s = live.get(i);
            if (s.isActive() && i < live.size() - 1) {
                floor = Math.max(floor, sealStray(job, s, now));
            } else if (s.isActive()) {
                openActive(job, a, s, now);
            } else {
                floor = Math.max(floor, s.lastSequence());
            }
        }
        if (a.seg == null) {
            a.lastSeq = Math.max(floor, a.lastSeq); // a.lastSeq is set if the active segment was just repaired
        } else if (a.lastSeq < floor) {
            LOG.warn("The active event segment '{}' starts at or below sequence {} already used by a sealed segment;"
                    + " continuing after {}.", a.seg.path(), floor, floor);
            a.lastSeq = floor;
        }
        if (!segs.redundant().isEmpty()) {
            AtomicFiles.fsyncDirectory(dir);
        }
        return a;
    }

    /**
     * Re-reads the tail after the file changed size under us (another process appended, or left a torn write). After
     * a repair {@code a} has no active segment.
     */
    static void refreshTail(JobRef job, ActiveSegment a, long size, Instant now) throws IOException {
        TailScan t = TailScan.of(a.ch, size);
        long last = t.lastSequence() > 0 ? t.lastSequence() : a.seg.firstSequence() - 1;
        if (t.torn()) {
            long highest = repair(job, a.ch, a.seg, t.dataEnd(), t, now);
            a.detach();
            a.lastSeq = Math.max(last, highest);
            return;
        }
        a.size = t.committedEnd();
        a.allocated = size;
        a.lastSeq = last;
    }

    /**
     * Moves the bytes after the committed end up to {@code size} aside, cuts them and any zero-filled tail from the
     * segment, then seals it (or deletes it if it holds nothing and vouches for nothing).
     *
     * @return the highest sequence seen in the segment, set-aside bytes included
     */
    private static long repair(JobRef job, FileChannel ch, SegmentFile seg, long size, TailScan t, Instant now)
            throws IOException {
        long from = t.committedEnd();
        Path aside = seg.path().resolveSibling(seg.path().getFileName() + Segments.DAMAGED + from + "-"
                + SegmentFile.TS.format(now));
        Tail tail = copyAside(ch, from, size, aside);
        long committedLast = t.lastSequence() > 0 ? t.lastSequence() : seg.firstSequence() - 1;
        long highest = Math.max(committedLast, tail.highestSequence);
        StringBuilder why = new StringBuilder();
        if (tail.eventLines > 0) {
            why.append(tail.eventLines).append(" complete event line(s) with sequences ").append(tail.lowestSequence)
                    .append("..").append(tail.highestComplete).append(" of a write whose last line is missing");
        }
        if (tail.otherBytes > 0) {
            why.append(why.length() > 0 ? ", and " : "").append(tail.otherBytes)
                    .append(" byte(s) that are not a complete event line")
                    .append(tail.partialSequence > 0 ? " (an incomplete line of sequence " + tail.partialSequence + ")"
                            : "");
        }
        boolean tornWrite = tail.eventLines > 0 || tail.partialLine;
        LOG.warn("Repairing the event log of job {}: moved the {} bytes after sequence {} at the end of '{}' aside to"
                + " '{}' ({}). {}Nothing was deleted; inspect that file and delete it when done. Sequences continue"
                + " after {}; the next append starts a new segment.", job, size - from, committedLast, seg.path(),
                aside.getFileName(), why, tornWrite ? "They look like a write cut short (a writer that crashed"
                        + " mid-append, or a damaged file end); that write may not have been acknowledged. " : "",
                highest);
        ch.truncate(from);
        ch.force(true);
        if (from == 0 && highest < seg.firstSequence()) {
            Files.delete(seg.path());
        } else {
            AtomicFiles.moveAtomically(seg.path(), seg.sealedPath(Math.max(highest, seg.firstSequence() - 1)));
        }
        AtomicFiles.fsyncDirectory(seg.path().getParent());
        Files.deleteIfExists(seg.indexPath()); // an index the active segment had when a store closed it
        return highest;
    }

    /** What the set-aside bytes hold. */
    private static final class Tail {
        long eventLines;
        long lowestSequence = Long.MAX_VALUE;
        long highestComplete;
        long highestSequence;
        long partialSequence;
        long otherBytes;
        boolean partialLine;
    }

    /** Copies {@code [from, size)} of {@code ch} to a new file {@code aside} (forced), and reads what it holds. */
    private static Tail copyAside(FileChannel ch, long from, long size, Path aside) throws IOException {
        Tail tail = new Tail();
        ByteArrayLines lines = new ByteArrayLines(tail);
        try (FileChannel out = FileChannel.open(aside, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), FileModes.fileAttributes())) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = from;
            while (pos < size) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), size - pos));
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                buf.flip();
                lines.feed(buf.array(), n);
                AtomicFiles.writeFully(out, buf, pos - from);
                pos += n;
            }
            lines.finish();
            out.force(true);
        }
        AtomicFiles.fsyncDirectory(aside.getParent());
        return tail;
    }

    /** Splits the set-aside bytes into lines and classifies each: an event line (with its sequence) or not. */
    private static final class ByteArrayLines {
        private final Tail tail;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        ByteArrayLines(Tail tail) {
            this.tail = tail;
        }

        void feed(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                if (b[i] == '\n') {
                    classify(true);
                } else if (line.size() < 1024 * 1024) {
                    line.write(b[i]);
                } else {
                    tail.otherBytes++;
                }
            }
        }

        void finish() {
            if (line.size() > 0) {
                classify(false);
            }
        }

        private void classify(boolean complete) {
            byte[] bytes = line.toByteArray();
            line.reset();
            EventLine parsed = complete ? EventCodec.parse(bytes, 0, bytes.length) : null;
            if (parsed != null) {
                tail.eventLines++;
                tail.lowestSequence = Math.min(tail.lowestSequence, parsed.sequence());
                tail.highestSequence = Math.max(tail.highestSequence, parsed.sequence());
                tail.highestComplete = Math.max(tail.highestComplete, parsed.sequence());
                return;
            }
            // A cut line still starts with its sequence (the codec writes it first): that sequence may have been
            // handed out, so it counts for the high-water mark.
            Matcher m = SEQUENCE.matcher(new String(bytes, 0, Math.min(bytes.length, 40), StandardCharsets.UTF_8));
            if (m.find()) {
                tail.partialSequence = Long.parseLong(m.group(1));
                tail.highestSequence = Math.max(tail.highestSequence, tail.partialSequence);
                tail.partialLine = true;
            }
            tail.otherBytes += bytes.length + (complete ? 1 : 0);
        }
    }

    /**
     * Opens the newest segment, if active, for appending. A preallocated one keeps its zero-filled tail (appends go on
     * overwriting it), after a check that nothing but zeros follows the data: a write cut short by a power loss may
     * have left blocks of its bytes beyond a hole of zeros, and those are set aside like any torn tail.
     */
    private static void openActive(JobRef job, ActiveSegment a, SegmentFile s, Instant now) throws IOException {
        FileChannel ch = FileChannel.open(s.path(), READ_WRITE);
        try {
            BasicFileAttributes attrs = Files.readAttributes(s.path(), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            long size = ch.size();
            TailScan t = TailScan.of(ch, size);
            long last = t.lastSequence() > 0 ? t.lastSequence() : s.firstSequence() - 1;
            long end = SegmentEnd.lastNonNul(ch, t.dataEnd(), size);
            if (t.torn() || end > t.dataEnd()) {
                long highest = repair(job, ch, s, Math.max(end, t.dataEnd()), t, now);
                ch.close();
                a.lastSeq = Math.max(last, highest);
                return;
            }
            a.seg = s;
            a.ch = ch;
            a.key = SegmentIndexes.keyOf(attrs, s);
            a.size = t.committedEnd();
            a.allocated = size;
            a.lastSeq = last;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Seals an active-named segment that is not the newest (left by an interrupted operation), trimmed to its data so
     * that sealed segments stay plain JSON lines.
     */
    private static long sealStray(JobRef job, SegmentFile s, Instant now) throws IOException {
        try (FileChannel ch = FileChannel.open(s.path(), READ_WRITE)) {
            long size = ch.size();
            TailScan t = TailScan.of(ch, size);
            long last = t.lastSequence() > 0 ? t.lastSequence() : s.firstSequence() - 1;
            long end = SegmentEnd.lastNonNul(ch, t.dataEnd(), size);
            if (t.torn() || end > t.dataEnd()) {
                // sets aside, then seals (or deletes)
                return Math.max(last, repair(job, ch, s, Math.max(end, t.dataEnd()), t, now));
            }
            if (t.committedEnd() == 0) {
                Files.delete(s.path());
                return last;
            }
            if (size > t.committedEnd()) {
                ch.truncate(t.committedEnd()); // the zero-filled tail; durable before the sealed name claims plain JSONL
                ch.force(true);
            }
            Path sealed = s.sealedPath(last);
            AtomicFiles.moveAtomically(s.path(), sealed);
            Files.deleteIfExists(s.indexPath());
            LOG.info("Sealed stray event segment '{}' as '{}'.", s.path(), sealed.getFileName());
            return last;
        }
    }
}
