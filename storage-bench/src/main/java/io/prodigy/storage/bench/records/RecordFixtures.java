package io.prodigy.storage.bench.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sessions and checkpoints whose JSON form is about a given size. The bulk is an object of many short string fields
 * (80-character values), which costs a parser what real metadata and workflow state cost, unlike one huge string.
 */
final class RecordFixtures {

    static final String SESSION_ID = "session-bench-0001";
    static final String WORKFLOW_ID = "workflow-bench";
    static final String CHECKPOINT_ID = "checkpoint-bench-0001";
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final String VALUE = "v".repeat(80);

    private RecordFixtures() {}

    /** A new session (revision 0) whose JSON is about {@code bytes} long. */
    static PersistedSession session(int bytes) {
        PersistedSession bare = PersistedSession.create(SESSION_ID, CREATED).withState(SessionState.IN_PROGRESS)
                .withWorktreeName("worktree-bench");
        int overhead = size(bare.withMetadata(Map.of("bulk", Json.nodes().objectNode())));
        return bare.withMetadata(Map.of("bulk", bulk(bytes - overhead)));
    }

    /** A new workflow checkpoint (revision 0) whose JSON is about {@code bytes} long. */
    static Checkpoint checkpoint(int bytes) {
        Checkpoint bare = Checkpoint.workflow(CHECKPOINT_ID, WORKFLOW_ID, CREATED, 3, List.of(0, 1, 2),
                Map.of("repo", "prodigy", "branch", "main"), Json.nodes().objectNode());
        int overhead = size(bare);
        return bare.withState(bulk(bytes - overhead));
    }

    /** The JSON size of {@code value} with the project's mapper. */
    static int size(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An object of {@code "kNNNNNN":"vvv…"} fields totalling about {@code bytes} of JSON. */
    private static JsonNode bulk(int bytes) {
        ObjectNode node = Json.nodes().objectNode();
        int fieldBytes = 2 + 7 + 1 + 2 + VALUE.length() + 1; // "k000000":"v…",
        for (int i = 0; (long) (i + 1) * fieldBytes <= bytes; i++) {
            node.put(String.format("k%06d", i), VALUE);
        }
        return node;
    }
}
