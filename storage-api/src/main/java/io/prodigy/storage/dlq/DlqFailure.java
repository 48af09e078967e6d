package io.prodigy.storage.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A failure to record in the dead-letter queue.
 *
 * @param itemId   the work item's id; a second failure of the same id updates that item
 * @param workItem the work item itself, as JSON (kept from the first failure; later ones may omit it)
 * @param error    the error message
 * @param agentId  the agent that failed, or {@code null}
 * @param details  extra failure details, or {@code null}
 * @param metadata item metadata; merged into the item's metadata (later values win)
 * @param at       when it failed; {@code null} lets the store stamp it
 */
public record DlqFailure(
        String itemId, JsonNode workItem, String error, String agentId, JsonNode details, Map<String, String> metadata,
        Instant at) {

    public DlqFailure {
        at = InstantRange.check("failure time (at)", at);
        Ids.check("DLQ item id", itemId);
        workItem = workItem == null ? Json.nodes().nullNode() : Json.checkStorable("DLQ work item", workItem);
        Json.checkStorable("DLQ failure details", details);
        error = error == null ? "" : error;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    public static DlqFailure of(String itemId, JsonNode workItem, String error) {
        return new DlqFailure(itemId, workItem, error, null, null, Map.of(), null);
    }

    public DlqFailure withAgentId(String agent) {
        return new DlqFailure(itemId, workItem, error, agent, details, metadata, at);
    }

    public DlqFailure withAt(Instant when) {
        return new DlqFailure(itemId, workItem, error, agentId, details, metadata, when);
    }

    public DlqFailure withMetadata(Map<String, String> meta) {
        return new DlqFailure(itemId, workItem, error, agentId, details, meta, at);
    }
}
