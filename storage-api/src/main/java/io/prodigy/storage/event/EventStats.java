package io.prodigy.storage.event;

import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregate figures for one job (spec 093 {@code EventStats}). Error, success and pending counts follow
 * {@link EventOutcome}. {@code firstEvent}/{@code lastEvent} are the smallest and largest timestamps ({@code null}
 * when the job has no events).
 *
 * @param lastSequence the highest sequence number in the job (0 if none)
 */
public record EventStats(
        JobRef job, long totalEvents, long errorCount, long successCount, long pendingCount, Instant firstEvent,
        Instant lastEvent, Map<String, Long> countsByType, long lastSequence) {

    public EventStats {
        countsByType = countsByType == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(countsByType));
    }

    /** Stats of a job with no events. */
    public static EventStats empty(JobRef job) {
        return new EventStats(job, 0, 0, 0, 0, null, null, Map.of(), 0);
    }

    /** Incremental builder, so every backend aggregates the same way. Not thread-safe. */
    public static Builder builder(JobRef job) {
        return new Builder(job);
    }

    public static final class Builder {
        private final JobRef job;
        private long total;
        private long errors;
        private long successes;
        private long pending;
        private Instant first;
        private Instant last;
        private long lastSequence;
        private final Map<String, Long> byType = new TreeMap<>();

        private Builder(JobRef job) {
            this.job = job;
        }

        public Builder add(EventRecord e) {
            return add(e.eventType(), e.timestamp(), e.sequence(), 1);
        }

        /** Adds {@code count} events of one type; {@code at} is any of their timestamps (min/max are tracked). */
        public Builder add(String eventType, Instant at, long sequence, long count) {
            total += count;
            switch (EventOutcome.of(eventType)) {
                case ERROR -> errors += count;
                case SUCCESS -> successes += count;
                case PENDING -> pending += count;
                default -> { }
            }
            byType.merge(eventType, count, Long::sum);
            widen(at, at);
            lastSequence = Math.max(lastSequence, sequence);
            return this;
        }

        /** Widens the time range without counting (for pre-aggregated data). */
        public Builder widen(Instant from, Instant to) {
            if (from != null && (first == null || from.isBefore(first))) {
                first = from;
            }
            if (to != null && (last == null || to.isAfter(last))) {
                last = to;
            }
            return this;
        }

        public EventStats build() {
            return new EventStats(job, total, errors, successes, pending, first, last, byType, lastSequence);
        }
    }
}
