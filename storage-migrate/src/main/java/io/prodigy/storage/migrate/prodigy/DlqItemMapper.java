package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.migrate.verify.CanonicalJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code DeadLetteredItem} (docs/migration.md) to {@link DlqItem}:
 * <ul>
 *   <li>{@code item_data} → work item; each {@code failure_history} entry → a {@link FailureRecord} (its timestamp,
 *       {@code error_message}, {@code agent_id}, and the whole entry, error type, context, stack trace, step,
 *       duration, log location, as details);</li>
 *   <li>enqueued/last-failed time, retry count and last error follow from that history, as in every store;</li>
 *   <li>the fields with no place ({@code error_signature}, {@code reprocess_eligible},
 *       {@code manual_review_required}, {@code worktree_artifacts}, the original {@code failure_count},
 *       {@code first_attempt}, {@code last_attempt}, unknown fields) go into the item's metadata, as text.</li>
 * </ul>
 * An item without a history (never written by the original tool, but the field could be empty) gets one failure at
 * its {@code last_attempt}, marked {@code "synthesized": true} in its details.
 */
final class DlqItemMapper {

    private static final Set<String> MAPPED_FIELDS = Set.of("item_id", "item_data", "failure_history");

    record Result(DlqItem item, String skipReason) {}

    private DlqItemMapper() {}

    /** The item objects in a DLQ file: one item, or an array / {@code {"items": [...]}} in the docs' variants. */
    static List<JsonNode> items(JsonNode doc) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode list = doc.isArray() ? doc : doc.isObject() && doc.path("items").isArray() ? doc.get("items") : null;
        if (list == null) {
            out.add(doc);
        } else {
            list.forEach(out::add);
        }
        return out;
    }

    static Result map(JobRef job, JsonNode doc, String fallbackId) {
        if (!doc.isObject()) {
            return skip("not a DLQ item object");
        }
        String itemId = Nodes.id(doc, "item_id");
        if (itemId == null) {
            itemId = fallbackId != null && Ids.problem(fallbackId) == null ? fallbackId : null;
        }
        if (itemId == null) {
            return skip("no valid item_id " + doc.path("item_id"));
        }
        Optional<Instant> first = ProdigyTime.instant(doc.get("first_attempt"));
        Optional<Instant> last = ProdigyTime.instant(doc.get("last_attempt"));
        List<FailureRecord> history = new ArrayList<>();
        for (JsonNode entry : doc.path("failure_history")) {
            Optional<Instant> at = ProdigyTime.instant(entry.get("timestamp")).or(() -> last).or(() -> first);
            if (at.isEmpty()) {
                return skip("a failure_history entry has no readable timestamp and the item no attempt times");
            }
            history.add(new FailureRecord(at.get(), Nodes.text(entry, "error_message"),
                    Nodes.text(entry, "agent_id"), entry));
        }
        if (history.isEmpty()) {
            Optional<Instant> at = last.or(() -> first);
            if (at.isEmpty()) {
                return skip("no failure_history and no readable first_attempt/last_attempt");
            }
            ObjectNode details = Json.nodes().objectNode().put("synthesized", true)
                    .put("reason", "the item had no failure history");
            history.add(new FailureRecord(at.get(), Nodes.text(doc, "error_signature"), null, details));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : doc.properties()) {
            if (!MAPPED_FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
                metadata.put(field.getKey(), Nodes.asString(field.getValue()));
            }
        }
        FailureRecord lastFailure = history.get(history.size() - 1);
        JsonNode workItem = doc.has("item_data") ? doc.get("item_data") : Json.nodes().nullNode();
        return new Result(new DlqItem(job, itemId, workItem, history.get(0).at(), lastFailure.at(),
                history.size() - 1, lastFailure.error(), metadata, history, null), null);
    }

    /**
     * One item from several copies of the same item id (the writer's path, the resume manager's path, the docs'
     * files): failure histories are merged (identical entries once, ordered by time), {@code first_attempt} is the
     * earliest, and the other fields are taken from the copy that failed last. No failure of any copy is lost.
     */
    static JsonNode merge(List<JsonNode> copies) {
        JsonNode newest = copies.stream()
                .max(Comparator.comparing(c -> ProdigyTime.instant(c.get("last_attempt")).orElse(Instant.MIN)))
                .orElseThrow();
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        for (JsonNode copy : copies) {
            for (JsonNode entry : copy.path("failure_history")) {
                entries.putIfAbsent(CanonicalJson.write(entry), entry);
            }
        }
        List<JsonNode> history = new ArrayList<>(entries.values());
        history.sort(Comparator.comparing(e -> ProdigyTime.instant(e.get("timestamp")).orElse(Instant.MIN)));
        ObjectNode merged = newest.deepCopy();
        merged.set("failure_history", Json.nodes().arrayNode().addAll(history));
        copies.stream().map(c -> c.get("first_attempt"))
                .filter(n -> ProdigyTime.instant(n).isPresent())
                .min(Comparator.comparing(n -> ProdigyTime.instant(n).orElseThrow()))
                .ifPresent(earliest -> merged.set("first_attempt", earliest));
        return merged;
    }

    private static Result skip(String reason) {
        return new Result(null, reason);
    }
}
