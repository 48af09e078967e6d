package io.prodigy.storage.dashboard.view;

import java.time.Instant;

/**
 * One agent's events in a job's recent window, by {@link io.prodigy.storage.event.EventOutcome}.
 *
 * @param lastEventType the type of the agent's latest event (what it is doing or how it ended)
 * @param lastSeen      the timestamp of that event
 */
public record AgentSummary(
        String agentId, long events, long successCount, long errorCount, long pendingCount, long otherCount,
        String lastEventType, Instant lastSeen) {}
