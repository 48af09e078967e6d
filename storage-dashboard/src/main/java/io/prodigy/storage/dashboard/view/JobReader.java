package io.prodigy.storage.dashboard.view;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventOutcome;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.id.JobRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads what the job page shows. Totals come from the SPI's {@code aggregate} (backends answer it from indexes); the
 * chart and the agents come from one pass over the job's most recent {@link #WINDOW} events, read by sequence, so
 * the cost of a page does not grow with the job.
 */
public final class JobReader {

    /** Most recent events the chart and the agent table cover. */
    public static final int WINDOW = 5_000;
    /** Buckets of the chart. */
    public static final int BUCKETS = 48;

    private final UnifiedStorage storage;

    public JobReader(UnifiedStorage storage) {
        this.storage = storage;
    }

    /** Whether the job has anything stored: events, DLQ items or checkpoints. */
    public boolean exists(JobRef job) {
        return storage.events().lastSequence(job) > 0
                || storage.dlq().stats(job).totalItems() > 0
                || !storage.checkpoints().list(CheckpointFilter.forScope(CheckpointScope.job(job)).withLimit(1))
                        .isEmpty();
    }

    public JobDetail detail(JobRef job) {
        EventStats events = storage.events().aggregate(job);
        DlqStats dlq = storage.dlq().stats(job);
        return new JobDetail(JobSummary.of(storage, job, events, dlq), events, dlq);
    }

    /** The chart's data and the agents of the recent window, read in one pass. */
    public Recent recent(JobRef job) {
        return recent(storage.events().aggregate(job));
    }

    /** The same, for a job whose stats were read already. */
    public Recent recent(EventStats stats) {
        JobRef job = stats.job();
        List<EventRecord> window;
        try (Stream<EventRecord> s = storage.events().query(EventFilter.forJob(job)
                .withAfterSequence(Math.max(0, stats.lastSequence() - WINDOW)).withLimit(WINDOW))) {
            window = s.toList();
        }
        return new Recent(timeline(window, stats.totalEvents()), agents(window), window);
    }

    /**
     * The recent window's chart data and agents, and its events (newest last), from which the job page also takes
     * its first page of events instead of reading them again.
     */
    public record Recent(JobTimeline timeline, List<AgentSummary> agents, List<EventRecord> window) {
        public Recent {
            window = List.copyOf(window);
        }
    }

    static JobTimeline timeline(List<EventRecord> window, long totalEvents) {
        if (window.isEmpty()) {
            return new JobTimeline(0, 0, 0, totalEvents, null, null, 0, List.of(), List.of());
        }
        Instant from = window.get(0).timestamp();
        Instant to = from;
        TreeSet<String> types = new TreeSet<>();
        for (EventRecord e : window) {
            from = e.timestamp().isBefore(from) ? e.timestamp() : from;
            to = e.timestamp().isAfter(to) ? e.timestamp() : to;
            types.add(e.eventType());
        }
        long span = Duration.between(from, to).toMillis() + 1;
        long width = Math.max(1, (span + BUCKETS - 1) / BUCKETS);
        int n = (int) Math.min(BUCKETS, (span + width - 1) / width);
        List<Map<String, Long>> counts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            counts.add(new TreeMap<>());
        }
        long fromMillis = from.toEpochMilli();
        for (EventRecord e : window) {
            int i = (int) Math.min(n - 1, (e.timestamp().toEpochMilli() - fromMillis) / width);
            counts.get(i).merge(e.eventType(), 1L, Long::sum);
        }
        List<JobTimeline.Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            buckets.add(new JobTimeline.Bucket(from.plusMillis(i * width), counts.get(i)));
        }
        return new JobTimeline(window.get(0).sequence(), window.get(window.size() - 1).sequence(), window.size(),
                totalEvents, from, from.plusMillis(n * width), width, List.copyOf(types), buckets);
    }

    static List<AgentSummary> agents(List<EventRecord> window) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, EventRecord> last = new HashMap<>();
        Map<String, EventOutcome> outcomes = new HashMap<>(); // a window has few types: classify each once
        for (EventRecord e : window) {
            if (e.agentId() == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(e.agentId(), a -> new long[4]);
            c[outcomes.computeIfAbsent(e.eventType(), EventOutcome::of).ordinal()]++;
            last.put(e.agentId(), e);
        }
        List<AgentSummary> out = new ArrayList<>();
        counts.forEach((agent, c) -> {
            EventRecord l = last.get(agent);
            out.add(new AgentSummary(agent, c[0] + c[1] + c[2] + c[3], c[EventOutcome.SUCCESS.ordinal()],
                    c[EventOutcome.ERROR.ordinal()], c[EventOutcome.PENDING.ordinal()],
                    c[EventOutcome.OTHER.ordinal()], l.eventType(), l.timestamp()));
        });
        return out;
    }
}
