package io.prodigy.storage.file.event;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventStats;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The small index of one segment, stored next to sealed segments as {@code ….index.json} and kept in memory for the
 * active one: enough to skip a segment for a query and to compute a job's stats without reading events.
 *
 * @param firstSequence lowest sequence stored in the segment (0 if empty)
 * @param lastSequence  highest sequence stored (0 if empty)
 * @param minTimestamp  earliest event timestamp ({@code null} if empty)
 * @param maxTimestamp  latest event timestamp ({@code null} if empty)
 * @param segmentBytes  size of the segment file this index describes; an index whose size does not match the file
 *                      is stale (a crash between rewriting a segment and its index) and is recomputed
 */
record SegmentIndex(long firstSequence, long lastSequence, long eventCount, Instant minTimestamp,
        Instant maxTimestamp, Map<String, Long> countsByType, long segmentBytes) {

    SegmentIndex {
        countsByType = countsByType == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(countsByType));
    }

    /** Whether any event of the segment can pass {@code filter}. */
    boolean mayMatch(EventFilter filter) {
        if (eventCount == 0 || lastSequence <= filter.afterSequence()) {
            return false;
        }
        if (filter.after() != null && !maxTimestamp.isAfter(filter.after())) {
            return false;
        }
        if (filter.before() != null && !minTimestamp.isBefore(filter.before())) {
            return false;
        }
        if (!filter.eventTypes().isEmpty()) {
            return filter.eventTypes().stream().anyMatch(countsByType::containsKey);
        }
        return true;
    }

    /** Adds this segment's figures to a job's stats. */
    void addTo(EventStats.Builder stats) {
        if (eventCount == 0) {
            return;
        }
        countsByType.forEach((type, n) -> stats.add(type, minTimestamp, lastSequence, n));
        stats.widen(minTimestamp, maxTimestamp);
    }

    SegmentIndex withSegmentBytes(long bytes) {
        return new SegmentIndex(firstSequence, lastSequence, eventCount, minTimestamp, maxTimestamp, countsByType,
                bytes);
    }

    /** Accumulates an index line by line. Not thread-safe. */
    static final class Builder {
        private long first;
        private long last;
        private long count;
        private Instant min;
        private Instant max;
        private final Map<String, Long> byType = new TreeMap<>();

        Builder() {}

        Builder(SegmentIndex from) {
            if (from != null && from.eventCount > 0) {
                first = from.firstSequence;
                last = from.lastSequence;
                count = from.eventCount;
                min = from.minTimestamp;
                max = from.maxTimestamp;
                byType.putAll(from.countsByType);
            }
        }

        void add(long sequence, Instant at, String type) {
            if (count == 0 || sequence < first) {
                first = sequence;
            }
            last = Math.max(last, sequence);
            count++;
            if (min == null || at.isBefore(min)) {
                min = at;
            }
            if (max == null || at.isAfter(max)) {
                max = at;
            }
            byType.merge(type, 1L, Long::sum);
        }

        SegmentIndex build(long segmentBytes) {
            return new SegmentIndex(first, last, count, min, max, byType, segmentBytes);
        }
    }
}
