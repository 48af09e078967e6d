package io.prodigy.storage.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored event (spec 093 {@code EventRecord}) with its place in the job's log.
 *
 * @param job           the job the event belongs to
 * @param sequence      position in the job's log: 1 for the first event, then gap-free and strictly increasing,
 *                      assigned by the store
 * @param id            unique id of the event
 * @param timestamp     when it happened
 * @param eventType     the event's type
 * @param data          the payload
 * @param correlationId correlation id, or {@code null}
 * @param agentId       agent id, or {@code null}
 */
public record EventRecord(
        JobRef job, long sequence, String id, Instant timestamp, String eventType, JsonNode data,
        String correlationId, String agentId) {

    /** Longest event type accepted. */
    public static final int MAX_TYPE_LENGTH = 128;

    public EventRecord {
        Objects.requireNonNull(job, "job");
        Ids.check("event id", id);
        timestamp = InstantRange.normalize(Objects.requireNonNull(timestamp, "timestamp"));
        checkType(eventType);
        data = data == null ? Json.nodes().objectNode() : data;
        if (sequence <= 0) {
            throw new IllegalArgumentException("sequence must be positive, was " + sequence);
        }
    }

    /** Builds the stored form of {@code event}; used by stores when they accept an append. */
    public static EventRecord of(JobRef job, long sequence, NewEvent event, Instant defaultTimestamp) {
        Instant at = event.timestamp() != null ? event.timestamp() : defaultTimestamp;
        return new EventRecord(job, sequence, event.id(), at, event.eventType(), event.data(),
                event.correlationId(), event.agentId());
    }

    static void checkType(String eventType) {
        if (eventType == null || eventType.isBlank()) {
            throw new InvalidInputException("Event type is missing. Give every event a type such as 'agent_completed'.");
        }
        if (eventType.length() > MAX_TYPE_LENGTH) {
            throw new InvalidInputException("Event type '" + eventType.substring(0, 40) + "...' is longer than "
                    + MAX_TYPE_LENGTH + " characters.");
        }
        for (int i = 0; i < eventType.length(); i++) {
            if (Character.isISOControl(eventType.charAt(i))) {
                throw new InvalidInputException("Event type contains a control character at position " + i + ".");
            }
        }
    }
}
