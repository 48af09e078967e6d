package io.prodigy.storage.file.event;

import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
 * @param blocks        the sparse time index: the segment cut at write boundaries about every
 *                      {@value #BLOCK_BYTES} bytes, each block with its byte offset, first sequence and the range of
 *                      its timestamps, so a time-range query reads only the blocks that can match. Empty in an index
 *                      written before it existed (issue 16): such an index is rebuilt when a time-range query needs it
 */
record SegmentIndex(long firstSequence, long lastSequence, long eventCount, Instant minTimestamp,
        Instant maxTimestamp, Map<String, Long> countsByType, long segmentBytes, List<Block> blocks) {

    /** About how many bytes of events a block of the time index covers. */
    static final long BLOCK_BYTES = 64 * 1024;

    SegmentIndex {
        countsByType = countsByType == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(countsByType));
        blocks = blocks == null ? List.of() : List.copyOf(blocks);
    }

    /**
     * One block of the time index: the events from byte {@code offset} (a write boundary) up to the next block's
     * offset (or the end of the segment). Timestamps need not grow with sequences (an event carries the time its
     * appender gave it), hence a range per block, not a single time.
     */
    record Block(long offset, long firstSequence, Instant minTimestamp, Instant maxTimestamp) {

        /** Whether an event of this block can fall in the filter's time range. */
        boolean mayMatch(EventFilter filter) {
            return (filter.after() == null || maxTimestamp.isAfter(filter.after()))
                    && (filter.before() == null || minTimestamp.isBefore(filter.before()));
        }
    }

    /** Whether the time index is missing though the segment holds events (an index of the earlier format). */
    boolean lacksBlocks() {
        return eventCount > 0 && blocks.isEmpty();
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
                bytes, blocks);
    }

    /** Accumulates an index line by line. Not thread-safe. */
    static final class Builder {
        private long first;
        private long last;
        private long count;
        private Instant min;
        private Instant max;
        private final Map<String, Long> byType = new TreeMap<>();
        private final List<Block> closed = new ArrayList<>();
        // The open block: from blockStart, holding events since the last cut.
        private long blockStart;
        private long blockFirst;
        private Instant blockMin;
        private Instant blockMax;

        Builder() {}

        /** Continues {@code from}; its last block is reopened, so appends extend it up to the block size. */
        Builder(SegmentIndex from) {
            if (from != null && from.eventCount > 0) {
                first = from.firstSequence;
                last = from.lastSequence;
                count = from.eventCount;
                min = from.minTimestamp;
                max = from.maxTimestamp;
                byType.putAll(from.countsByType);
                if (!from.blocks.isEmpty()) {
                    closed.addAll(from.blocks.subList(0, from.blocks.size() - 1));
                    Block open = from.blocks.get(from.blocks.size() - 1);
                    blockStart = open.offset();
                    blockFirst = open.firstSequence();
                    blockMin = open.minTimestamp();
                    blockMax = open.maxTimestamp();
                }
            }
        }

        /**
         * Marks a write boundary: the events added so far end at byte {@code end}, where the next write starts. The
         * open block is cut here once it spans {@value SegmentIndex#BLOCK_BYTES} bytes.
         */
        void committed(long end) {
            if (blockMin != null && end - blockStart >= BLOCK_BYTES) {
                closed.add(new Block(blockStart, blockFirst, blockMin, blockMax));
                blockMin = null;
                blockMax = null;
                blockStart = end;
            } else if (blockMin == null) {
                blockStart = end;
            }
        }

        void add(long sequence, Instant at, String type) {
            addWithoutType(sequence, at);
            byType.merge(type, 1L, Long::sum);
        }

        /**
         * Adds {@code n} events of the type {@code type} whose sequences and times were already added by
         * {@link #addWithoutType} (a writer counts a run of equal types once: a map update per event was a visible
         * part of an append's CPU).
         */
        void addType(String type, long n) {
            byType.merge(type, n, Long::sum);
        }

        void addWithoutType(long sequence, Instant at) {
            if (blockMin == null) {
                blockFirst = sequence;
                blockMin = at;
                blockMax = at;
            } else {
                blockMin = at.isBefore(blockMin) ? at : blockMin;
                blockMax = at.isAfter(blockMax) ? at : blockMax;
            }
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
        }

        SegmentIndex build(long segmentBytes) {
            List<Block> blocks = closed;
            if (blockMin != null) {
                blocks = new ArrayList<>(closed);
                blocks.add(new Block(blockStart, blockFirst, blockMin, blockMax));
            }
            return new SegmentIndex(first, last, count, min, max, byType, segmentBytes, blocks);
        }
    }
}
