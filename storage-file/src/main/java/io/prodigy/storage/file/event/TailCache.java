package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.IoErrors;
import io.prodigy.storage.id.JobRef;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The highest committed sequence of a job, read without any lock (subscriptions ask for it on every round). The last
 * answer is cached with the active segment's identity, file size and data end; one {@code stat} confirms it is still
 * current, plus, when the segment is preallocated (its file extends past its data), a one-byte read that the data
 * still ends there.
 */
final class TailCache {

    private record Tail(Path path, SegmentIndexes.Key key, long fileSize, long dataEnd, long lastSequence) {}

    private final JobRef job;
    private final Path dir;
    private volatile Tail tail;

    TailCache(JobRef job, Path dir) {
        this.job = job;
        this.dir = dir;
    }

    /** Called by the writer after a commit: the tail is known exactly. */
    void committed(SegmentFile seg, SegmentIndexes.Key key, long fileSize, long dataEnd, long lastSequence) {
        tail = new Tail(seg.path(), key, fileSize, dataEnd, lastSequence);
    }

    void invalidate() {
        tail = null;
    }

    long lastSequence() {
        Tail t = tail;
        try {
            if (t != null) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(t.path, BasicFileAttributes.class);
                    if (attrs.size() == t.fileSize && SegmentIndexes.keyOf(attrs,
                            SegmentFile.parse(t.path).orElseThrow()).equals(t.key) && dataStillEnds(t)) {
                        return t.lastSequence;
                    }
                } catch (NoSuchFileException e) {
                    // rotated or deleted: fall through to a listing
                }
            }
            for (int attempt = 0; attempt < 10; attempt++) {
                Segments segs = Segments.scan(dir);
                if (segs.active().isEmpty()) {
                    return segs.floorFromNames();
                }
                SegmentFile act = segs.active().get();
                try (FileChannel ch = FileChannel.open(act.path(), StandardOpenOption.READ)) {
                    BasicFileAttributes attrs = Files.readAttributes(act.path(), BasicFileAttributes.class);
                    long size = ch.size();
                    TailScan ts = TailScan.of(ch, size);
                    long last = Math.max(segs.floorFromNames(),
                            ts.lastSequence() > 0 ? ts.lastSequence() : act.firstSequence() - 1);
                    tail = new Tail(act.path(), SegmentIndexes.keyOf(attrs, act), size, ts.dataEnd(), last);
                    return last;
                } catch (NoSuchFileException e) {
                    // sealed meanwhile: list again
                }
            }
            throw new IOException("the segments kept changing while reading the last sequence");
        } catch (IOException e) {
            throw IoErrors.translate("reading the last sequence of job " + job + " from", dir, e);
        }
    }

    /** Whether nothing was written after the cached data end (always, for a file that ends with its data). */
    private static boolean dataStillEnds(Tail t) throws IOException {
        if (t.fileSize <= t.dataEnd) {
            return true;
        }
        try (FileChannel ch = FileChannel.open(t.path, StandardOpenOption.READ)) {
            return SegmentEnd.isNul(ch, t.dataEnd);
        }
    }
}
