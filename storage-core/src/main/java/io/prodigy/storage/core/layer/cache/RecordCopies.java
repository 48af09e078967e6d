package io.prodigy.storage.core.layer.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.ParameterDefinition;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deep copies of the cached records. The records are immutable except for their JSON trees, which callers could
 * modify; copying on the way into and out of the cache keeps one caller's changes from leaking into another's reads,
 * exactly as a backend that deserializes on every read would behave.
 */
final class RecordCopies {

    private RecordCopies() {}

    static PersistedSession session(PersistedSession s) {
        if (s.metadata().isEmpty()) {
            return s;
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        s.metadata().forEach((k, v) -> copy.put(k, Json.copy(v)));
        return s.withMetadata(copy).withWriteId(s.writeId());
    }

    static Checkpoint checkpoint(Checkpoint c) {
        return c.withState(Json.copy(c.state())).withWriteId(c.writeId());
    }

    static WorkflowDefinition workflow(WorkflowDefinition w) {
        WorkflowMetadata m = w.metadata();
        Map<String, ParameterDefinition> params = new LinkedHashMap<>();
        m.parameters().forEach((k, p) -> params.put(k, new ParameterDefinition(p.name(), p.typeName(), p.required(),
                p.defaultValue() == null ? null : p.defaultValue().deepCopy(), p.description())));
        return w.withContent(Json.copy(w.content()))
                .withMetadata(new WorkflowMetadata(m.description(), m.tags(), m.author(), params))
                .withWriteId(w.writeId());
    }
}
