package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Per-segment indexes and seek hints, for one open store.
 *
 * <p>Sealed segments have an index file written when they were sealed; it is trusted only if the size it records
 * matches the segment. Everything else (the active segment, a stale or missing index) is indexed by reading the
 * segment, incrementally: the state of each file (keyed by its identity, which survives the rename that seals it)
 * remembers how far it was read, and the writer of this process extends it in place as it appends, so the stats of
 * a job cost almost nothing.
 *
 * <p>Seek hints map a sequence to the committed byte offset just after it: the newest one of each file, plus one
 * about every {@value #HINT_SPACING} bytes. A query or subscription that starts after sequence {@code n} enters the
 * segment there instead of reading it from the start.
 */
final class SegmentIndexes {

    private static final int MAX_FILES = 10_000;
    private static final long HINT_SPACING = 32 * 1024;

    /**
     * A segment's identity: its inode (stable across the rename that seals it) plus its directory and first
     * sequence, so that an inode number recycled for another segment is not mistaken for the old one.
     */
    record Key(Object fileKey, Path dir, long firstSequence) {}

    static Key keyOf(BasicFileAttributes attrs, SegmentFile seg) {
        Object fk = attrs.fileKey();
        Path dir = seg.path().toAbsolutePath().getParent();
        return new Key(fk != null ? fk : seg.path().getFileName().toString(), dir, seg.firstSequence());
    }

    /** What is known about one segment file. Index fields are guarded by the instance's monitor. */
    private static final class FileState {
        long seenSize = -1;
        long coveredEnd;
        SegmentIndex.Builder builder = new SegmentIndex.Builder();
        SegmentIndex built;
        final ConcurrentNavigableMap<Long, Long> sparseHints = new ConcurrentSkipListMap<>();
        volatile long[] latestHint; // {sequence, offset}
        long lastSparseOffset;

        synchronized SegmentIndex index(long size) {
            if (built == null || built.segmentBytes() != size) {
                built = builder.build(size);
            }
            return built;
        }
    }

    private final Map<Object, FileState> files = new ConcurrentHashMap<>();

    private FileState state(Object key) {
        if (files.size() > MAX_FILES) {
            files.clear();
        }
        return files.computeIfAbsent(key, k -> new FileState());
    }

    /**
     * The index of {@code seg}.
     *
     * @throws NoSuchFileException if the segment disappeared (rotated, compressed or purged meanwhile)
     */
    SegmentIndex indexOf(SegmentFile seg) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(seg.path(), BasicFileAttributes.class);
        if (!seg.isActive()) {
            SegmentIndex stored = readIndexFile(seg);
            if (stored != null && stored.segmentBytes() == attrs.size()) {
                return stored;
            }
        }
        long end = attrs.size();
        if (seg.isActive()) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(seg.path(),
                    java.nio.file.StandardOpenOption.READ)) {
                end = SegmentEnd.of(ch, ch.size()); // a preallocated segment's data ends at its zero-filled tail
            }
        }
        return scan(seg.path(), keyOf(attrs, seg), end);
    }

    /**
     * What this store knows of the file {@code key} without reading it (the writer's running index, or an earlier
     * scan's), or {@code null}: for the active segment, whose data past it is read in full.
     */
    SegmentIndex cached(Object key) {
        FileState st = files.get(key);
        if (st == null) {
            return null;
        }
        synchronized (st) {
            return st.seenSize < 0 ? null : st.index(st.seenSize);
        }
    }

    /** The sealed index file, or {@code null} if missing or unreadable. */
    static SegmentIndex readIndexFile(SegmentFile seg) {
        try {
            return Json.mapper().readValue(Files.readAllBytes(seg.indexPath()), SegmentIndex.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void writeIndexFile(SegmentFile seg, SegmentIndex index) {
        JsonFiles.write(seg.indexPath(), index, "event segment index");
    }

    /**
     * Reads the segment from where this file's state left off (or from the start) and returns the full index. The
     * reading happens outside the state's monitor, so a concurrent writer is never blocked behind it.
     */
    SegmentIndex scan(Path path, Object key, long size) throws IOException {
        FileState st = state(key);
        long from;
        SegmentIndex.Builder builder;
        synchronized (st) {
            if (st.seenSize == size) {
                return st.index(size);
            }
            boolean resume = st.seenSize >= 0 && st.coveredEnd <= size;
            from = resume ? st.coveredEnd : 0;
            builder = resume ? new SegmentIndex.Builder(st.builder.build(0)) : new SegmentIndex.Builder();
        }
        long expectNext = from > 0 ? builder.build(0).lastSequence() + 1 : 0;
        long covered;
        long lastSeq;
        try (SegmentReader reader = SegmentReader.open(path, from, expectNext)) {
            if (from > 0 && (reader.compressed() || reader.startOffset() == 0)) {
                builder = new SegmentIndex.Builder(); // read from the start after all
                from = 0;
            }
            EventLine line;
            long hinted = from;
            while ((line = reader.next()) != null) {
                builder.add(line.sequence(), line.timestamp(), line.eventType());
                if (!line.batchMore() && !reader.compressed()) {
                    builder.committed(reader.committedEnd()); // the end of the write this line completes
                }
                hinted = hintWhileReading(key, reader, hinted);
            }
            covered = reader.compressed() ? size : reader.committedEnd();
            lastSeq = reader.committedLastSequence();
            if (!reader.compressed() && lastSeq > 0) {
                hint(key, lastSeq, covered);
            }
        }
        SegmentIndex index = builder.build(size);
        synchronized (st) {
            // Install unless the writer (or another reader) got further meanwhile.
            if (st.seenSize < 0 || st.coveredEnd == from || st.coveredEnd < covered) {
                st.builder = builder;
                st.coveredEnd = covered;
                st.seenSize = size;
                st.built = index;
            }
        }
        return index;
    }

    /** Called by the writer after it appended {@code [oldEnd, newEnd)}, to keep the active index current. */
    void appended(Object key, long oldEnd, long newEnd, long lastSequence, List<EventCodec.EncodedBatch> batches,
            long firstSequence) {
        FileState st = state(key);
        synchronized (st) {
            if (oldEnd == 0 && st.seenSize < 0) {
                st.seenSize = 0;
                st.coveredEnd = 0;
            }
            if (st.coveredEnd == oldEnd && st.seenSize == oldEnd) {
                long seq = firstSequence;
                String runType = null;
                long run = 0;
                for (EventCodec.EncodedBatch b : batches) {
                    for (int i = 0; i < b.size(); i++) {
                        st.builder.addWithoutType(seq++, b.timestamp(i));
                        String type = b.eventType(i);
                        if (run > 0 && !type.equals(runType)) {
                            st.builder.addType(runType, run);
                            run = 0;
                        }
                        runType = type;
                        run++;
                    }
                }
                if (run > 0) {
                    st.builder.addType(runType, run);
                }
                st.builder.committed(newEnd);
                st.coveredEnd = newEnd;
                st.seenSize = newEnd;
                st.built = null;
            }
            // Otherwise another process wrote in between: a reader will catch up from coveredEnd.
        }
        hint(key, lastSequence, newEnd);
    }

    /**
     * Records a sparse hint at the reader's committed position once it is {@value #HINT_SPACING} bytes past the last
     * one this read recorded, so that a process that only reads (a dashboard, a tail) learns where sequences are
     * while it reads and its next query that starts mid-segment seeks instead of reading from the start.
     *
     * @return the offset of the latest hint this read recorded
     */
    long hintWhileReading(Object key, SegmentReader reader, long hintedOffset) {
        long end = reader.committedEnd();
        if (reader.compressed() || end - hintedOffset < HINT_SPACING || reader.committedLastSequence() <= 0) {
            return hintedOffset;
        }
        hint(key, reader.committedLastSequence(), end);
        return end;
    }

    /** Records that the committed data after {@code sequence} starts at {@code offset} in the file {@code key}. */
    void hint(Object key, long sequence, long offset) {
        FileState st = state(key);
        long[] latest = st.latestHint;
        if (latest == null || latest[0] < sequence) {
            st.latestHint = new long[] {sequence, offset};
        }
        synchronized (st) {
            if (offset - st.lastSparseOffset >= HINT_SPACING || st.sparseHints.isEmpty()) {
                st.sparseHints.put(sequence, offset);
                st.lastSparseOffset = offset;
            }
        }
    }

    /**
     * Where to start reading a plain segment to see every committed event after {@code afterSequence}: the
     * closest remembered boundary at or before it, as (sequence before the boundary, offset); (0, 0) for none.
     */
    long[] seekHint(Object key, long afterSequence, long size) {
        FileState st = files.get(key);
        if (st == null || afterSequence <= 0) {
            return new long[] {0, 0};
        }
        long[] latest = st.latestHint;
        if (latest != null && latest[0] <= afterSequence && latest[1] <= size) {
            return latest.clone();
        }
        Map.Entry<Long, Long> e = st.sparseHints.floorEntry(afterSequence);
        if (e == null || e.getValue() > size) {
            return new long[] {0, 0};
        }
        return new long[] {e.getKey(), e.getValue()};
    }

    /** Drops what is known about a file that was rewritten or deleted. */
    void forget(Object key) {
        files.remove(key);
    }
}
