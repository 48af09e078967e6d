package io.prodigy.storage.event;

import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Which events of one job a query or subscription returns. Only {@code job} is required.
 *
 * @param job           the job to read
 * @param eventTypes    event types to include; empty means all
 * @param after         only events with {@code timestamp > after}; {@code null} for no bound
 * @param before        only events with {@code timestamp < before}; {@code null} for no bound
 * @param correlationId only events with this correlation id
 * @param agentId       only events from this agent
 * @param afterSequence only events with {@code sequence > afterSequence}; 0 reads from the start
 * @param limit         at most this many events; 0 means no limit
 */
public record EventFilter(
        JobRef job, Set<String> eventTypes, Instant after, Instant before, String correlationId, String agentId,
        long afterSequence, long limit) {

    public EventFilter {
        Objects.requireNonNull(job, "job");
        eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
        if (afterSequence < 0 || limit < 0) {
            throw new IllegalArgumentException("afterSequence and limit must not be negative");
        }
    }

    /** Every event of {@code job}. */
    public static EventFilter forJob(JobRef job) {
        return new EventFilter(job, Set.of(), null, null, null, null, 0, 0);
    }

    public EventFilter withEventTypes(Set<String> types) {
        return new EventFilter(job, types, after, before, correlationId, agentId, afterSequence, limit);
    }

    public EventFilter withEventType(String type) {
        return withEventTypes(Set.of(type));
    }

    public EventFilter withAfter(Instant t) {
        return new EventFilter(job, eventTypes, t, before, correlationId, agentId, afterSequence, limit);
    }

    public EventFilter withBefore(Instant t) {
        return new EventFilter(job, eventTypes, after, t, correlationId, agentId, afterSequence, limit);
    }

    public EventFilter withCorrelationId(String id) {
        return new EventFilter(job, eventTypes, after, before, id, agentId, afterSequence, limit);
    }

    public EventFilter withAgentId(String id) {
        return new EventFilter(job, eventTypes, after, before, correlationId, id, afterSequence, limit);
    }

    public EventFilter withAfterSequence(long seq) {
        return new EventFilter(job, eventTypes, after, before, correlationId, agentId, seq, limit);
    }

    public EventFilter withLimit(long n) {
        return new EventFilter(job, eventTypes, after, before, correlationId, agentId, afterSequence, n);
    }

    /** Whether {@code e} passes every constraint but the limit. Backends may use it after a coarse pre-filter. */
    public boolean matches(EventRecord e) {
        return e.job().equals(job)
                && e.sequence() > afterSequence
                && (eventTypes.isEmpty() || eventTypes.contains(e.eventType()))
                && (after == null || e.timestamp().isAfter(after))
                && (before == null || e.timestamp().isBefore(before))
                && (correlationId == null || correlationId.equals(e.correlationId()))
                && (agentId == null || agentId.equals(e.agentId()));
    }
}
