package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One line of an event file ({@code EventRecord} + {@code MapReduceEvent}, see docs/migration.md) to a {@link NewEvent}:
 * <ul>
 *   <li>{@code id}, {@code timestamp}, {@code correlation_id} map to the same fields; {@code event.agent_id} to the
 *       agent;</li>
 *   <li>the type is the event's {@code event_name()}: the on-disk tag, with {@code d_l_q_} (serde's naive
 *       snake_case of {@code DLQItemAdded}) read as {@code dlq_}, so both spellings land on one type;</li>
 *   <li>the payload is the {@code event} object without its tag, plus, so nothing is lost: the line's
 *       {@code metadata} (host, pid, thread) under {@code _metadata}, the on-disk tag under {@code _tag} when it
 *       differs from the type, and any unknown top-level field under {@code _extra}; a {@code duration} in either
 *       encoding also gets a {@code duration_ms} next to it.</li>
 * </ul>
 * Lines that are not JSON, have no event tag, an unknown tag, or no valid id or timestamp are skipped with a reason.
 */
final class EventLineMapper {

    /** The 27 persisted variants by {@code event_name()}. */
    static final Set<String> KNOWN_TYPES = Set.of(
            "job_started", "job_completed", "job_failed", "job_paused", "job_resumed",
            "agent_started", "agent_progress", "agent_completed", "agent_failed", "agent_retrying",
            "checkpoint_created", "checkpoint_loaded", "checkpoint_failed",
            "worktree_created", "worktree_merged", "worktree_cleaned",
            "queue_depth_changed", "memory_pressure",
            "dlq_item_added", "dlq_item_removed", "dlq_items_reprocessed", "dlq_items_evicted",
            "dlq_analysis_generated",
            "claude_tool_invoked", "claude_token_usage", "claude_session_started", "claude_message");

    private static final Set<String> LINE_FIELDS = Set.of("id", "timestamp", "correlation_id", "event", "metadata");

    /** A mapped line: the event, and the job id it names ({@code null} for the Claude variants, which have none). */
    record Mapped(NewEvent event, String jobId) {}

    /** Either {@code mapped} or {@code skipReason} is set; both null for a blank line. */
    record Result(Mapped mapped, String skipReason) {
        boolean blank() {
            return mapped == null && skipReason == null;
        }
    }

    private static final Result BLANK = new Result(null, null);

    private EventLineMapper() {}

    static Result map(String line) {
        if (line.isBlank()) {
            return BLANK;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            return skip("not valid JSON (" + e.getOriginalMessage() + "); a torn or damaged line");
        }
        if (root == null || !root.isObject()) {
            return skip("not a JSON object");
        }
        JsonNode event = root.get("event");
        if (event == null || !event.isObject() || !event.path("event_type").isTextual()) {
            Map.Entry<String, JsonNode> only = root.size() == 1 ? root.properties().iterator().next() : null;
            return skip(only != null && only.getValue().isObject()
                    ? "an externally tagged event ('" + only.getKey() + "', the format of the removed events CLI),"
                            + " not an EventRecord line"
                    : "no 'event' object with an 'event_type'");
        }
        String tag = event.get("event_type").textValue();
        String type = normalize(tag);
        if (!KNOWN_TYPES.contains(type)) {
            return skip("unknown event type '" + tag + "'");
        }
        String id = root.path("id").isTextual() ? root.get("id").textValue() : null;
        if (Ids.problem(id) != null) {
            return skip("missing or invalid event id: " + Ids.problem(id));
        }
        Optional<Instant> timestamp = ProdigyTime.instant(root.get("timestamp"));
        if (timestamp.isEmpty()) {
            return skip("missing or unreadable timestamp " + root.path("timestamp"));
        }
        ObjectNode data = event.deepCopy();
        data.remove("event_type");
        addDurationMillis(data);
        if (!tag.equals(type)) {
            data.put("_tag", tag);
        }
        if (root.has("metadata") && !root.get("metadata").isNull()) {
            data.set("_metadata", root.get("metadata"));
        }
        ObjectNode extra = Json.nodes().objectNode();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!LINE_FIELDS.contains(field.getKey())) {
                extra.set(field.getKey(), field.getValue());
            }
        }
        if (!extra.isEmpty()) {
            data.set("_extra", extra);
        }
        String correlation = root.path("correlation_id").isTextual() ? root.get("correlation_id").textValue() : null;
        String agent = event.path("agent_id").isTextual() ? event.get("agent_id").textValue() : null;
        String jobId = event.path("job_id").isTextual() ? event.get("job_id").textValue() : null;
        return new Result(new Mapped(new NewEvent(id, timestamp.get(), type, data, correlation, agent), jobId), null);
    }

    /** {@code d_l_q_item_added} → {@code dlq_item_added}; other tags are already their {@code event_name()}. */
    static String normalize(String tag) {
        return tag.startsWith("d_l_q_") ? "dlq_" + tag.substring("d_l_q_".length()) : tag;
    }

    private static void addDurationMillis(ObjectNode data) {
        if (data.has("duration") && !data.has("duration_ms")) {
            Optional<Duration> d = ProdigyTime.duration(data.get("duration"));
            d.ifPresent(duration -> data.put("duration_ms", duration.toMillis()));
        }
    }

    private static Result skip(String reason) {
        return new Result(null, reason);
    }
}
