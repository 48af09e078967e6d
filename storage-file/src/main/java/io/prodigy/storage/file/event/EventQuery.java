package io.prodigy.storage.file.event;

import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.file.io.IoErrors;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lazy, single-pass read of one job's matching events across its segments, in sequence order. One segment is open
 * at a time; closing the query closes it.
 *
 * <p>Skipping: sealed segments whose name shows they end at or before the start sequence are not opened; sealed
 * segments whose index shows no event can match the time range or types are not read; the active segment is entered
 * at the seek hint closest to the start sequence. A query with a time range reads, in a plain segment, only the
 * blocks of its sparse time index ({@link SegmentIndex.Block}) whose timestamps can match: one read per run of
 * consecutive matching blocks. The active segment's blocks come from this store's in-memory index; whatever follows
 * the part it covers is read in full.
 *
 * <p>Concurrent rotation, compression and purges: if a listed segment vanished before it was opened, the directory
 * is listed again and reading continues after the last sequence seen, so nothing is returned twice.
 */
final class EventQuery implements Iterator<EventRecord>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventQuery.class);
    private static final int MAX_RELISTS = 20;

    private final JobLog log;
    private final EventFilter filter;
    private List<SegmentFile> segments;
    private int nextSegment;
    private SegmentReader reader;
    private SegmentIndexes.Key readerKey;
    private java.nio.file.Path readerPath;
    private long hintedOffset;
    /** Byte ranges {start, end} of the current segment still to read after the current one (time-range queries). */
    private final java.util.ArrayDeque<long[]> ranges = new java.util.ArrayDeque<>();
    private long lastSeen;
    private long returned;
    private EventRecord next;
    private int relists;
    private boolean closed;

    EventQuery(JobLog log, EventFilter filter) {
        this.log = log;
        this.filter = filter;
        this.lastSeen = filter.afterSequence();
        try {
            Segments segs = Segments.scan(log.dir);
            segs.reportToReaders(log.job);
            this.segments = segs.live();
        } catch (IOException e) {
            throw IoErrors.translate("listing the event segments of job " + log.job + " in", log.dir, e);
        }
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (closed || (filter.limit() > 0 && returned >= filter.limit())) {
            return false;
        }
        try {
            return advance();
        } catch (IOException e) {
            throw IoErrors.translate("reading the events of job " + log.job + " from", log.dir, e);
        }
    }

    @Override
    public EventRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        EventRecord r = next;
        next = null;
        returned++;
        return r;
    }

    private boolean advance() throws IOException {
        while (true) {
            if (reader == null && !openNext()) {
                return false;
            }
            EventLine line;
            try {
                line = reader.next();
            } catch (ZipException | EOFException e) {
                LOG.warn("Reading job {}: the compressed event segment '{}' is damaged ({}); the events after the"
                        + " damage are skipped, the rest of the job's events are served. Restore the file from a"
                        + " backup if you have one.", log.job, readerPath, e.getMessage());
                closeReader();
                continue;
            }
            if (line == null) {
                closeReader();
                if (!ranges.isEmpty()) {
                    long[] r = ranges.poll();
                    try {
                        reader = SegmentReader.openRange(readerPath, r[0], r[1]);
                        hintedOffset = r[0];
                    } catch (NoSuchFileException e) {
                        relist(); // compressed or purged meanwhile: continue after the last event seen
                    }
                }
                continue;
            }
            hintedOffset = log.ctx.indexes.hintWhileReading(readerKey, reader, hintedOffset);
            if (line.sequence() <= lastSeen) {
                continue;
            }
            lastSeen = line.sequence();
            EventRecord r = line.toRecord(filter.job());
            if (filter.matches(r)) {
                next = r;
                return true;
            }
        }
    }

    private boolean openNext() throws IOException {
        while (nextSegment < segments.size()) {
            SegmentFile seg = segments.get(nextSegment++);
            if (!seg.isActive() && seg.lastSequence() <= lastSeen) {
                continue;
            }
            try {
                BasicFileAttributes attrs = Files.readAttributes(seg.path(), BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                SegmentIndexes.Key key = SegmentIndexes.keyOf(attrs, seg);
                java.util.List<long[]> timeRanges = null;
                if (!seg.isActive()) {
                    SegmentIndex idx = SegmentIndexes.readIndexFile(seg);
                    if (idx != null && idx.segmentBytes() == attrs.size()
                            && !idx.mayMatch(filter.withAfterSequence(lastSeen))) {
                        continue;
                    }
                    if ((filter.after() != null || filter.before() != null) && !seg.gzipName()) {
                        timeRanges = timeRanges(seg, sealedIndexWithBlocks(seg, idx, attrs), attrs.size());
                    }
                } else {
                    SegmentIndex idx = log.ctx.indexes.cached(key);
                    if (idx == null && (filter.after() != null || filter.before() != null)) {
                        // Written by the store that last closed the segment: valid for the bytes it covers, since
                        // an active segment is only appended to; what follows is read whole (the open last block).
                        idx = SegmentIndexes.readIndexFile(seg);
                        idx = idx != null && idx.segmentBytes() <= attrs.size() ? idx : null;
                    }
                    timeRanges = timeRanges(seg, idx, Long.MAX_VALUE);
                }
                if (timeRanges != null) {
                    if (timeRanges.isEmpty()) {
                        continue; // no block can match
                    }
                    ranges.clear();
                    ranges.addAll(timeRanges);
                    long[] first = ranges.poll();
                    reader = SegmentReader.openRange(seg.path(), first[0], first[1]);
                    readerKey = key;
                    readerPath = seg.path();
                    hintedOffset = first[0];
                    return true;
                }
                long[] hint = log.ctx.indexes.seekHint(key, lastSeen, attrs.size());
                reader = SegmentReader.open(seg.path(), hint[1], hint[0] + 1);
                readerKey = key;
                readerPath = seg.path();
                hintedOffset = hint[1];
                return true;
            } catch (NoSuchFileException e) {
                relist();
            }
        }
        return false;
    }

    private void relist() throws IOException {
        if (++relists > MAX_RELISTS) {
            throw new StorageUnavailableException("The event segments of job " + log.job + " in '" + log.dir
                    + "' kept changing while being read (rotations or purges in progress). Retry the query.");
        }
        segments = Segments.scan(log.dir).live();
        nextSegment = 0;
        ranges.clear();
    }

    /**
     * The byte ranges of {@code seg} that can hold events of the filter's time range after {@link #lastSeen}: runs of
     * consecutive matching blocks of its time index; {@code null} when the whole segment (from the seek hint) is to be
     * read (no time range, a compressed segment, no index at hand). Empty when no block can match.
     *
     * @param idx       the segment's index, {@code null} if not known
     * @param dataEnd   where the last block ends: the segment's size, or {@link Long#MAX_VALUE} for the active segment,
     *                  whose data past the index is unknown (its last block and what follows are always read)
     */
    private java.util.List<long[]> timeRanges(SegmentFile seg, SegmentIndex idx, long dataEnd) {
        if ((filter.after() == null && filter.before() == null) || seg.gzipName() || idx == null
                || idx.blocks().isEmpty()) {
            return null;
        }
        List<SegmentIndex.Block> blocks = idx.blocks();
        java.util.List<long[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            SegmentIndex.Block b = blocks.get(i);
            boolean last = i == blocks.size() - 1;
            long end = last ? dataEnd : blocks.get(i + 1).offset();
            long lastSequence = last ? Long.MAX_VALUE : blocks.get(i + 1).firstSequence() - 1;
            boolean open = last && dataEnd == Long.MAX_VALUE;
            if (lastSequence <= lastSeen || !(open || b.mayMatch(filter))) {
                continue;
            }
            long[] prev = out.isEmpty() ? null : out.get(out.size() - 1);
            if (prev != null && prev[1] == b.offset()) {
                prev[1] = end; // consecutive: one read
            } else {
                out.add(new long[] {b.offset(), end});
            }
        }
        return out;
    }

    /**
     * The index of a sealed, plain segment with its time index: the index file's, or, when that lacks the time index
     * (written before it existed) or is stale, one rebuilt by reading the segment, stored back under the job's guard
     * if the segment is unchanged meanwhile, so the next process finds it.
     */
    private SegmentIndex sealedIndexWithBlocks(SegmentFile seg, SegmentIndex fromFile, BasicFileAttributes attrs)
            throws IOException {
        if (fromFile != null && fromFile.segmentBytes() == attrs.size() && !fromFile.lacksBlocks()) {
            return fromFile;
        }
        SegmentIndexes.Key key = SegmentIndexes.keyOf(attrs, seg);
        SegmentIndex rebuilt = log.ctx.indexes.scan(seg.path(), key, attrs.size());
        try {
            log.guardedOnly(() -> {
                BasicFileAttributes now = Files.readAttributes(seg.path(), BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (SegmentIndexes.keyOf(now, seg).equals(key) && now.size() == rebuilt.segmentBytes()) {
                    SegmentIndexes.writeIndexFile(seg, rebuilt);
                }
                return null;
            });
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not store the rebuilt index of '{}': {}", seg.path(), e.toString());
        }
        return rebuilt;
    }

    private void closeReader() {
        if (reader != null) {
            if (!reader.compressed() && reader.committedLastSequence() > 0) {
                log.ctx.indexes.hint(readerKey, reader.committedLastSequence(), reader.committedEnd());
            }
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                reader = null;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        next = null;
        closeReader();
    }
}
