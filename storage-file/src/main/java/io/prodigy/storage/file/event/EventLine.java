package io.prodigy.storage.file.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.id.JobRef;
import java.time.Instant;

/**
 * One line of an event segment as parsed. On disk (compact JSON, one object per line, {@code '\n'}-terminated):
 *
 * <pre>{"sequence":12,"id":"e-1","timestamp":"2026-01-02T03:04:05.123Z","event_type":"agent_completed",
 * "correlation_id":"c-1","agent_id":"agent-3","data":{...}}</pre>
 *
 * Every line of a multi-line write except the last also carries {@code "batch_more":true}: the write is committed
 * only once its last line (without the flag) is complete, which is how a batch becomes visible whole or not at all
 * and how a torn write is recognised after a crash. The job is implied by the directory.
 */
record EventLine(long sequence, boolean batchMore, String id, Instant timestamp, String eventType, JsonNode data,
        String correlationId, String agentId) {

    /** Whether the required fields are present (a line that parses as JSON may still be garbage). */
    boolean isValid() {
        return sequence > 0 && id != null && timestamp != null && eventType != null;
    }

    EventRecord toRecord(JobRef job) {
        return new EventRecord(job, sequence, id, timestamp, eventType, data, correlationId, agentId);
    }
}
