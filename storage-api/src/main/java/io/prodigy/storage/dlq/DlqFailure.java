package io.prodigy.storage.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A failure to record in the dead-letter queue.
 *
 * @param itemId   the work item's id; a second failure of the same id updates that item
 * @param workItem the work item itself, as JSON (kept from the first failure; later ones may omit it)
 * @param error    the error message
 * @param agentId  the agent that failed, or {@code null}
 * @param details  extra failure details, or {@code null}
 * @param metadata item metadata; merged into the item's metadata (later values win)
 * @param at        when it failed; {@code null} lets the store stamp it
 * @param failureId identifies this failure, so that recording it again (a retried {@link DlqStorage#add}) changes
 *                  nothing: the item's history holds each failure id once. The constructor without it generates a
 *                  random one, once, when the object is built: re-sending the same object is a retry, building a
 *                  new one is a new failure
 */
public record DlqFailure(
        String itemId, JsonNode workItem, String error, String agentId, JsonNode details, Map<String, String> metadata,
        Instant at, String failureId) {

    public DlqFailure {
        at = InstantRange.check("failure time (at)", at);
        Ids.check("DLQ item id", itemId);
        Ids.check("DLQ failure id", failureId);
        workItem = workItem == null ? Json.nodes().nullNode() : Json.checkStorable("DLQ work item", workItem);
        Json.checkStorable("DLQ failure details", details);
        error = error == null ? "" : error;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** A failure with a new random {@link #failureId()}. */
    public DlqFailure(String itemId, JsonNode workItem, String error, String agentId, JsonNode details,
            Map<String, String> metadata, Instant at) {
        this(itemId, workItem, error, agentId, details, metadata, at, UUID.randomUUID().toString());
    }

    public static DlqFailure of(String itemId, JsonNode workItem, String error) {
        return new DlqFailure(itemId, workItem, error, null, null, Map.of(), null);
    }

    public DlqFailure withAgentId(String agent) {
        return new DlqFailure(itemId, workItem, error, agent, details, metadata, at, failureId);
    }

    public DlqFailure withAt(Instant when) {
        return new DlqFailure(itemId, workItem, error, agentId, details, metadata, when, failureId);
    }

    public DlqFailure withMetadata(Map<String, String> meta) {
        return new DlqFailure(itemId, workItem, error, agentId, details, meta, at, failureId);
    }

    /** This failure under another id (a caller-chosen idempotency key, for example from its own retry loop). */
    public DlqFailure withFailureId(String id) {
        return new DlqFailure(itemId, workItem, error, agentId, details, metadata, at, id);
    }
}
