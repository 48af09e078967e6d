package io.prodigy.storage.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.ParameterDefinition;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one fixed data set every backend is filled with: every record type, with the cases a copy must reproduce
 * exactly. Every time in it is given (none is stamped by a store), so two stores filled with it hold the same
 * content whatever their clocks.
 */
final class DataSet {

    /** Nanosecond precision on purpose: every backend must keep it. */
    static final Instant T0 = Instant.parse("2026-03-01T09:30:00.123456789Z");
    static final Instant OLD = Instant.parse("2021-01-01T00:00:00Z");

    static final JobRef MAP_JOB = JobRef.of("wordcount", "mapreduce-7");
    /** Events 1–40 are older than the purge horizon and purged: the log starts at 41. */
    static final JobRef PURGED_JOB = JobRef.of("wordcount", "mapreduce-3");
    static final JobRef OTHER_REPO_JOB = JobRef.of("billing-service", "nightly-1");

    static final int MAP_EVENTS = 500;
    static final int PURGED_EVENTS = 60;
    static final int PURGED = 40;
    static final int OTHER_EVENTS = 7;

    /** The records it holds, per type, as a copy counts them. */
    static final long SESSIONS = 6;
    static final long WORKFLOWS = 2;
    static final long EXECUTIONS = 3;
    static final long CHECKPOINTS = 5;
    static final long DLQ_ITEMS = 3;
    static final long EVENTS = MAP_EVENTS + PURGED_EVENTS - PURGED + OTHER_EVENTS;

    private DataSet() {}

    static void fill(UnifiedStorage s) {
        sessions(s);
        workflows(s);
        checkpoints(s);
        dlq(s);
        events(s);
    }

    private static void sessions(UnifiedStorage s) {
        ObjectNode nested = Json.nodes().objectNode().put("int", 5).put("fraction", 0.25).put("flag", true);
        nested.putArray("tags").add("ünïcode ☃").add("x");
        nested.putNull("nothing");
        int i = 0;
        for (SessionState state : SessionState.values()) {
            i++;
            Instant started = T0.plusSeconds(i * 60L);
            s.sessions().save(new PersistedSession("session-" + state.name().toLowerCase(java.util.Locale.ROOT),
                    state, started, started.plusMillis(i), i, i * 3, i % 2 == 0 ? "worktree-" + i : null,
                    i == 1 ? Map.of("nested", nested, "text", Json.nodes().textNode("a\"quote\" and \\ slash"))
                            : Map.of("index", Json.nodes().numberNode(i)), 0));
        }
        // A session stored, then moved on by updateState, as running jobs do.
        s.sessions().updateState("session-initializing", SessionState.IN_PROGRESS);
    }

    private static void workflows(UnifiedStorage s) {
        WorkflowMetadata meta = new WorkflowMetadata("word count over the corpus", List.of("mapreduce", "nightly"),
                "ops", Map.of("corpus", new ParameterDefinition("corpus", "string", true,
                        Json.nodes().textNode("books"), "which corpus")));
        ObjectNode content = Json.nodes().objectNode();
        content.putArray("steps").add("setup").add("map").add("reduce");
        s.workflows().save(new WorkflowDefinition("wf-wordcount", "wordcount", "2.1", T0, T0, content, meta, 0));
        s.workflows().save(new WorkflowDefinition("wf-minimal", "minimal", null, T0.plusSeconds(5), null, null, null,
                0));
        WorkflowExecution first = new WorkflowExecution("run-1", "wf-wordcount", T0, null, ExecutionStatus.RUNNING,
                null);
        s.workflows().recordExecution(first);
        s.workflows().recordExecution(first.finished(ExecutionStatus.COMPLETED, T0.plusSeconds(95)));
        s.workflows().recordExecution(new WorkflowExecution("run-2", "wf-wordcount", T0.plusSeconds(100), null,
                ExecutionStatus.RUNNING, null).finished(ExecutionStatus.FAILED, T0.plusSeconds(130)));
        s.workflows().recordExecution(new WorkflowExecution("run-3", "wf-minimal", T0.plusSeconds(200), null,
                ExecutionStatus.RUNNING, null));
    }

    private static void checkpoints(UnifiedStorage s) {
        s.checkpoints().save(Checkpoint.workflow("wf-cp-1", "wf-wordcount", T0, 2, List.of(0, 1),
                Map.of("CORPUS", "books", "EMPTY", ""), Json.nodes().objectNode().put("status", "paused")));
        s.checkpoints().save(Checkpoint.job("setup", MAP_JOB, CheckpointKind.SETUP, 1, T0.plusSeconds(1), 0, null));
        s.checkpoints().save(Checkpoint.job("map-1", MAP_JOB, CheckpointKind.MAP, 1, T0.plusSeconds(2), 250,
                Json.nodes().objectNode().put("completed", 250)));
        s.checkpoints().save(Checkpoint.job("reduce-1", MAP_JOB, CheckpointKind.REDUCE, 2, T0.plusSeconds(3), 1,
                Json.nodes().objectNode().put("words", 98_765)));
        s.checkpoints().save(Checkpoint.job("map-1", OTHER_REPO_JOB, CheckpointKind.MAP, 1, T0.plusSeconds(4), 3,
                null));
    }

    private static void dlq(UnifiedStorage s) {
        ObjectNode item = Json.nodes().objectNode().put("file", "chapter-12.txt").put("bytes", 40_960);
        s.dlq().add(MAP_JOB, new DlqFailure("item-12", item, "timeout after 30s", "agent-1",
                Json.nodes().objectNode().put("exit_code", 124), Map.of("signature", "timeout"), T0.plusSeconds(10)));
        s.dlq().add(MAP_JOB, new DlqFailure("item-12", null, "out of memory", "agent-3", null,
                Map.of("signature", "oom", "attempt", "2"), T0.plusSeconds(70)));
        s.dlq().add(MAP_JOB, new DlqFailure("item-12", null, "timeout after 30s", null, null, Map.of(),
                T0.plusSeconds(130)));
        s.dlq().add(MAP_JOB, new DlqFailure("item-31", Json.nodes().textNode("chapter-31.txt"), "parse error", "agent-2",
                null, Map.of(), T0.plusSeconds(20)));
        s.dlq().add(OTHER_REPO_JOB, new DlqFailure("invoice-9", Json.nodes().objectNode().put("id", 9), "refused",
                null, null, Map.of(), T0.plusSeconds(30)));
    }

    private static void events(UnifiedStorage s) {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 1; i <= MAP_EVENTS; i++) {
            String type = i % 10 == 0 ? "agent_failed" : i % 2 == 0 ? "agent_completed" : "agent_started";
            batch.add(event("map-" + i, T0.plusMillis(i), type).withAgentId("agent-" + (i % 4))
                    .withCorrelationId("item-" + (i / 2)));
            if (batch.size() == 125) {
                s.events().append(MAP_JOB, batch);
                batch.clear();
            }
        }
        for (int i = 1; i <= PURGED_EVENTS; i++) {
            batch.add(event("purged-" + i, i <= PURGED ? OLD.plusSeconds(i) : T0.plusSeconds(i), "step_completed"));
            if (i % 20 == 0) {
                s.events().append(PURGED_JOB, batch);
                batch.clear();
            }
        }
        s.events().purge(PURGED_JOB, OLD.plusSeconds(3_600));
        for (int i = 1; i <= OTHER_EVENTS; i++) {
            s.events().append(OTHER_REPO_JOB, List.of(event("other-" + i, T0.plusSeconds(i), "job_started")));
        }
    }

    private static NewEvent event(String id, Instant at, String type) {
        ObjectNode data = Json.nodes().objectNode().put("n", id);
        return new NewEvent(id, at, type, data, null, null);
    }
}
