package io.prodigy.storage.dashboard.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job's events over time by type, in equal time buckets: what the job page's chart draws. It covers the job's most
 * recent events, at most {@link JobReader#WINDOW} of them (the whole job when it is smaller), so drawing it costs the
 * same for a job of a thousand events and one of a million.
 *
 * @param firstSequence sequence of the first event in the window (0 if there are none)
 * @param lastSequence  sequence of the last event in the window (0 if there are none)
 * @param windowEvents  how many events the window holds
 * @param totalEvents   how many events the job holds
 * @param from          start of the first bucket
 * @param to            end of the last bucket
 * @param bucketMillis  width of a bucket
 * @param types         the event types in the window, sorted
 * @param buckets       the buckets, oldest first
 */
public record JobTimeline(
        long firstSequence, long lastSequence, long windowEvents, long totalEvents, Instant from, Instant to,
        long bucketMillis, List<String> types, List<Bucket> buckets) {

    public JobTimeline {
        types = List.copyOf(types);
        buckets = List.copyOf(buckets);
    }

    /** Events per type that happened in {@code [start, start + bucketMillis)}. */
    public record Bucket(Instant start, Map<String, Long> counts) {
        public Bucket {
            counts = Map.copyOf(counts);
        }

        public long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Whether the window holds fewer events than the job. */
    public boolean partial() {
        return windowEvents < totalEvents;
    }
}
