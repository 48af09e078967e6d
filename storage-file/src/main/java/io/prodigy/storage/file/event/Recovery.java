package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.id.JobRef;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a job log's view of its segments from the directory, repairing what interrupted operations left behind:
 * redundant copies are deleted, temp files removed, stray active segments sealed, and a torn tail of the active
 * segment truncated to its committed end. Runs only under the job's guard, so no other writer is active.
 *
 * <p>A segment whose torn tail was truncated is also sealed (or deleted if nothing in it was committed), and the
 * next append starts a new segment. No byte is ever appended where torn bytes were: a reader that buffered the torn
 * bytes before the repair then only ever sees the end of that file, never new events spliced onto stale bytes.
 */
final class Recovery {

    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {}

    static ActiveSegment recover(JobRef job, Path dir) throws IOException {
        Segments segs = Segments.scan(dir);
        for (SegmentFile r : segs.redundant()) {
            LOG.info("Removing '{}': a complete copy of it exists (left by an interrupted rotation).", r.path());
            Files.deleteIfExists(r.path());
        }
        for (Path tmp : Segments.tempFiles(dir)) {
            Files.deleteIfExists(tmp); // temp files are only written under this guard, so none is in use
        }
        List<SegmentFile> live = segs.live();
        ActiveSegment a = ActiveSegment.none(0);
        long floor = 0;
        for (int i = 0; i < live.size(); i++) {
            SegmentFile s = live.get(i);
            if (s.isActive() && i < live.size() - 1) {
                floor = Math.max(floor, sealStray(job, s));
            } else if (s.isActive()) {
                openActive(job, a, s);
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
    static void refreshTail(JobRef job, ActiveSegment a, long size) throws IOException {
        TailScan t = TailScan.of(a.ch, size);
        long last = t.lastSequence() > 0 ? t.lastSequence() : a.seg.firstSequence() - 1;
        if (size > t.committedEnd()) {
            repair(job, a.ch, a.seg, size, t);
            a.detach();
            a.lastSeq = last;
            return;
        }
        a.size = t.committedEnd();
        a.lastSeq = last;
    }

    /** Truncates the torn tail, then seals the segment (or deletes it if nothing in it was committed). */
    private static void repair(JobRef job, FileChannel ch, SegmentFile seg, long size, TailScan t)
            throws IOException {
        LOG.warn("Repairing the event log of job {}: removing {} bytes of an unfinished write after sequence {} at"
                + " the end of '{}' (a writer crashed mid-append; that append was never acknowledged). The next"
                + " append starts a new segment.", job, size - t.committedEnd(), t.lastSequence(), seg.path());
        ch.truncate(t.committedEnd());
        ch.force(true);
        if (t.committedEnd() == 0) {
            Files.delete(seg.path());
        } else {
            AtomicFiles.moveAtomically(seg.path(), seg.sealedPath(t.lastSequence()));
        }
        AtomicFiles.fsyncDirectory(seg.path().getParent());
    }

    private static void openActive(JobRef job, ActiveSegment a, SegmentFile s) throws IOException {
        FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            BasicFileAttributes attrs = Files.readAttributes(s.path(), BasicFileAttributes.class);
            long size = ch.size();
            TailScan t = TailScan.of(ch, size);
            if (size > t.committedEnd()) {
                repair(job, ch, s, size, t);
                ch.close();
                a.lastSeq = t.lastSequence() > 0 ? t.lastSequence() : s.firstSequence() - 1;
                return;
            }
            a.seg = s;
            a.ch = ch;
            a.key = SegmentIndexes.keyOf(attrs, s);
            a.size = t.committedEnd();
            a.lastSeq = t.lastSequence() > 0 ? t.lastSequence() : s.firstSequence() - 1;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Seals an active-named segment that is not the newest (left by an interrupted operation). */
    private static long sealStray(JobRef job, SegmentFile s) throws IOException {
        try (FileChannel ch = FileChannel.open(s.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            TailScan t = TailScan.of(ch, size);
            long last = t.lastSequence() > 0 ? t.lastSequence() : s.firstSequence() - 1;
            if (size > t.committedEnd()) {
                repair(job, ch, s, size, t); // truncates and seals (or deletes)
                return last;
            }
            if (t.committedEnd() == 0) {
                Files.delete(s.path());
                return last;
            }
            Path sealed = s.sealedPath(last);
            AtomicFiles.moveAtomically(s.path(), sealed);
            LOG.info("Sealed stray event segment '{}' as '{}'.", s.path(), sealed.getFileName());
            return last;
        }
    }
}
