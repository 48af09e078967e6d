package io.prodigy.storage.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.workflow.ParameterDefinition;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sample records for the memory backend's own tests. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final JobRef JOB = JobRef.of("my-repo", "job-1");

    private Fixtures() {}

    static MemoryStorage open(TestClock clock) {
        return MemoryStorage.open(MemoryConfig.DEFAULT, new StorageContext(clock, null));
    }

    static MemoryStorage open(MemoryConfig config, TestClock clock) {
        return MemoryStorage.open(config, new StorageContext(clock, null));
    }

    static ObjectNode json(String key, Object value) {
        ObjectNode node = Json.nodes().objectNode();
        node.set(key, Json.mapper().valueToTree(value));
        return node;
    }

    static PersistedSession session(String id) {
        return PersistedSession.create(id, T0)
                .withProgress(3, 7)
                .withWorktreeName("wt-" + id)
                .withMetadata(Map.of("branch", json("name", "main"), "count", Json.nodes().numberNode(5)));
    }

    static NewEvent event(String id, String type, Instant at) {
        return new NewEvent(id, at, type, json("n", id), "corr-1", "agent-1");
    }

    static Checkpoint workflowCheckpoint(String id, String workflowId, Instant at) {
        return Checkpoint.workflow(id, workflowId, at, 2, List.of(0, 1), Map.of("x", "1"), json("step", 2));
    }

    static Checkpoint jobCheckpoint(String id, JobRef job, CheckpointKind kind, Instant at) {
        return Checkpoint.job(id, job, kind, 3, at, 4, json("phase", kind.name()));
    }

    static DlqFailure failure(String itemId, String error) {
        return new DlqFailure(itemId, json("item", itemId), error, "agent-7", json("exit_code", 2),
                Map.of("attempt", "1"), null);
    }

    static WorkflowDefinition workflow(String id) {
        JsonNode defaultValue = json("level", "high");
        WorkflowMetadata metadata = new WorkflowMetadata("does things", List.of("ci", "nightly"), "ann",
                Map.of("p", new ParameterDefinition("p", "object", false, defaultValue, "a parameter")));
        return new WorkflowDefinition(id, "Workflow " + id, "1.2", T0, T0, json("steps", List.of("a", "b")),
                metadata, 0);
    }

    static String text(int bytes) {
        return "x".repeat(bytes);
    }
}
