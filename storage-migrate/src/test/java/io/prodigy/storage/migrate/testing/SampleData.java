package io.prodigy.storage.migrate.testing;

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

/** A store filled with every record type, including the awkward cases a copy must reproduce exactly. */
public final class SampleData {

    public static final Instant T0 = Instant.parse("2025-06-01T08:00:00.123456789Z");
    public static final Instant OLD = Instant.parse("2020-01-01T00:00:00Z");

    /** 1,200 events: three appends of the copy's default batch size. */
    public static final JobRef LONG_JOB = JobRef.of("repo-a", "mapreduce-long");
    /** Events 1–5 purged: the log starts at sequence 6 and ends at 10. */
    public static final JobRef PURGED_PREFIX = JobRef.of("repo-a", "mapreduce-purged");
    /** Events 4, 5 and 8 purged: the log is 1,2,3,6,7 with last sequence 8. */
    public static final JobRef HOLES = JobRef.of("repo-b", "mapreduce-holes");
    public static final JobRef DLQ_JOB = JobRef.of("repo-a", "mapreduce-long");

    private SampleData() {}

    public static void populate(UnifiedStorage s) {
        ObjectNode meta = Json.nodes().objectNode().put("n", 5).put("f", 0.25).put("t", true);
        meta.putArray("tags").add("x").add("y");
        s.sessions().save(new PersistedSession("workflow-1741615318000", SessionState.COMPLETED, T0, T0, 2, 5,
                "workflow-1741615318000", Map.of("nested", meta, "text", Json.nodes().textNode("héllo ☃")), 0));
        PersistedSession running = s.sessions().save(PersistedSession.create("session-1", T0.plusSeconds(5)));
        s.sessions().updateState(running.id(), SessionState.IN_PROGRESS);
        s.sessions().save(PersistedSession.create("session-2", T0.plusSeconds(9)).withState(SessionState.PAUSED));

        WorkflowMetadata wm = new WorkflowMetadata("fixes bugs", List.of("ci", "nightly"), "dev",
                Map.of("target", new ParameterDefinition("target", "string", true, Json.nodes().textNode("main"),
                        "branch")));
        s.workflows().save(new WorkflowDefinition("wf-fix", "fix", "1.2", T0, T0,
                Json.nodes().objectNode().put("commands", 3), wm, 0));
        s.workflows().save(new WorkflowDefinition("wf-empty", "empty", null, T0.plusSeconds(1), null, null, null, 0));
        WorkflowExecution e1 = new WorkflowExecution("exec-1", "wf-fix", T0, null, ExecutionStatus.RUNNING, null);
        s.workflows().recordExecution(e1);
        s.workflows().recordExecution(e1.finished(ExecutionStatus.COMPLETED, T0.plusSeconds(90)));
        s.workflows().recordExecution(new WorkflowExecution("exec-2", "wf-fix", T0.plusSeconds(100), null,
                ExecutionStatus.RUNNING, null));

        s.checkpoints().save(Checkpoint.workflow("cp-1", "workflow-1741615318000", T0, 2, List.of(0, 1),
                Map.of("ARG", "x"), Json.nodes().objectNode().put("status", "Failed")));
        s.checkpoints().save(Checkpoint.job("checkpoint-v3", LONG_JOB, CheckpointKind.MAP, 1, T0.plusSeconds(3), 7,
                Json.nodes().objectNode().put("completed", 7)));
        s.checkpoints().save(Checkpoint.job("reduce-1", HOLES, CheckpointKind.REDUCE, 2, T0.plusSeconds(4), 1,
                null));

        ObjectNode details = Json.nodes().objectNode().put("exit_code", 101);
        s.dlq().add(DLQ_JOB, new DlqFailure("item_0", Json.nodes().objectNode().put("file", "a.rs"), "first", "agent-0",
                details, Map.of("error_signature", "abc"), T0));
        s.dlq().add(DLQ_JOB, new DlqFailure("item_0", null, "second", "agent-1", null, Map.of("tries", "2"),
                T0.plusSeconds(60)));
        s.dlq().add(DLQ_JOB, new DlqFailure("item_0", null, "third", null, null, Map.of(), T0.plusSeconds(120)));
        s.dlq().add(HOLES, DlqFailure.of("item-1", Json.nodes().textNode("plain"), "only").withAt(T0));

        List<NewEvent> batch = new ArrayList<>();
        for (int i = 1; i <= 1200; i++) {
            batch.add(event("long-" + i, T0.plusMillis(i), i % 3 == 0 ? "agent_failed" : "agent_completed"));
            if (batch.size() == 400) {
                s.events().append(LONG_JOB, batch);
                batch.clear();
            }
        }
        for (int i = 1; i <= 10; i++) {
            s.events().append(PURGED_PREFIX, List.of(event("p-" + i, i <= 5 ? OLD.plusSeconds(i) : T0.plusSeconds(i),
                    "job_started")));
        }
        s.events().purge(PURGED_PREFIX, OLD.plusSeconds(3600));
        Instant[] holes = {T0, T0, T0, OLD, OLD, T0, T0, OLD};
        for (int i = 0; i < holes.length; i++) {
            s.events().append(HOLES, List.of(event("h-" + (i + 1), holes[i].plusSeconds(i), "job_started")
                    .withCorrelationId("corr").withAgentId("agent-" + i)));
        }
        s.events().purge(HOLES, OLD.plusSeconds(3600));
    }

    static NewEvent event(String id, Instant at, String type) {
        return new NewEvent(id, at, type, Json.nodes().objectNode().put("n", id), null, null);
    }
}
