package io.prodigy.storage.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.util.UUID;

/**
 * An event to append. The store adds the job and the sequence number when it accepts it (see {@link EventRecord}).
 *
 * @param id            unique id of the event; backends with {@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND}
 *                      use it to drop a re-sent event
 * @param timestamp     when the event happened; {@code null} lets the store stamp it with its clock
 * @param eventType     the event's type, for example {@code agent_completed}
 * @param data          the payload as a JSON tree
 * @param correlationId optional correlation id
 * @param agentId       optional id of the agent that produced it
 */
public record NewEvent(
        String id, Instant timestamp, String eventType, JsonNode data, String correlationId, String agentId) {

    public NewEvent {
        Ids.check("event id", id);
        EventRecord.checkType(eventType);
        timestamp = InstantRange.check("event timestamp", timestamp);
        data = data == null ? Json.nodes().objectNode() : Json.checkStorable("event data", data);
    }

    /** An event with a random id, stamped by the store, no correlation or agent. */
    public static NewEvent of(String eventType, JsonNode data) {
        return new NewEvent(UUID.randomUUID().toString(), null, eventType, data, null, null);
    }

    public NewEvent withAgentId(String agent) {
        return new NewEvent(id, timestamp, eventType, data, correlationId, agent);
    }

    public NewEvent withCorrelationId(String correlation) {
        return new NewEvent(id, timestamp, eventType, data, correlation, agentId);
    }

    public NewEvent withTimestamp(Instant at) {
        return new NewEvent(id, at, eventType, data, correlationId, agentId);
    }
}
