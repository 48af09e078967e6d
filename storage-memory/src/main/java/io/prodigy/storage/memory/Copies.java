package io.prodigy.storage.memory;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.ParameterDefinition;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep copies of the records' mutable parts (their JSON trees). The memory store copies every value on the way in and
 * on the way out, so a caller who mutates a tree it passed in or got back changes nothing stored; this is what a
 * serializing backend does for free, and what a faithful in-memory backend must imitate.
 *
 * <p>Everything else in the records is immutable already (records, unmodifiable collections, {@code Instant}s).
 */
final class Copies {

    private Copies() {}

    /** A deep copy, keeping {@code null} as {@code null} (where the record distinguishes it from JSON null). */
    static JsonNode tree(JsonNode node) {
        return node == null ? null : node.deepCopy();
    }

    static PersistedSession session(PersistedSession s) {
        return s.withMetadata(trees(s.metadata())).withWriteId(s.writeId());
    }

    static NewEvent newEvent(NewEvent e) {
        return new NewEvent(e.id(), e.timestamp(), e.eventType(), Json.copy(e.data()), e.correlationId(), e.agentId());
    }

    static EventRecord event(EventRecord e) {
        return new EventRecord(e.job(), e.sequence(), e.id(), e.timestamp(), e.eventType(), Json.copy(e.data()),
                e.correlationId(), e.agentId());
    }

    static Checkpoint checkpoint(Checkpoint c) {
        return c.withState(Json.copy(c.state())).withWriteId(c.writeId());
    }

    static DlqFailure failure(DlqFailure f) {
        return new DlqFailure(f.itemId(), Json.copy(f.workItem()), f.error(), f.agentId(), tree(f.details()),
                f.metadata(), f.at(), f.failureId());
    }

    static DlqItem dlqItem(DlqItem i) {
        List<FailureRecord> history = i.failureHistory().stream()
                .map(r -> new FailureRecord(r.at(), r.error(), r.agentId(), tree(r.details()), r.failureId()))
                .toList();
        return new DlqItem(i.job(), i.itemId(), Json.copy(i.workItem()), i.enqueuedAt(), i.lastFailedAt(),
                i.retryCount(), i.lastError(), i.metadata(), history, i.claim());
    }

    static WorkflowDefinition workflow(WorkflowDefinition w) {
        return w.withContent(Json.copy(w.content())).withMetadata(metadata(w.metadata())).withWriteId(w.writeId());
    }

    private static WorkflowMetadata metadata(WorkflowMetadata m) {
        Map<String, ParameterDefinition> params = new LinkedHashMap<>();
        m.parameters().forEach((name, p) -> params.put(name, new ParameterDefinition(p.name(), p.typeName(),
                p.required(), tree(p.defaultValue()), p.description())));
        return new WorkflowMetadata(m.description(), m.tags(), m.author(), params);
    }

    private static Map<String, JsonNode> trees(Map<String, JsonNode> map) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, Json.copy(v)));
        return out;
    }
}
