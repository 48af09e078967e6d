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
 * at the seek hint closest to the start sequence.
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
                if (!seg.isActive()) {
                    SegmentIndex idx = SegmentIndexes.readIndexFile(seg);
                    if (idx != null && idx.segmentBytes() == attrs.size()
                            && !idx.mayMatch(filter.withAfterSequence(lastSeen))) {
                        continue;
                    }
                }
                SegmentIndexes.Key key = SegmentIndexes.keyOf(attrs, seg);
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
