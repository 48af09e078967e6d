package io.prodigy.storage.cli;

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
import io.prodigy.storage.workflow.WorkflowDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A small, fully known data set: what the command tests read. */
public final class Fixtures {

    public static final String REPO = "proj";
    public static final JobRef JOB = JobRef.of(REPO, "job-1");
    public static final JobRef OTHER_JOB = JobRef.of("other-repo", "job-9");
    public static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private Fixtures() {}

    /** Seven events in job-1, one in other-repo/job-9. */
    public static void events(UnifiedStorage s) {
        s.events().append(JOB, List.of(
                event("e1", 0, "job_started", null, "c1"),
                event("e2", 1, "agent_started", "agent-1", "c1"),
                event("e3", 2, "agent_completed", "agent-1", "c1"),
                event("e4", 3, "agent_started", "agent-2", "c2"),
                event("e5", 4, "agent_failed", "agent-2", "c2"),
                event("e6", 5, "agent_retrying", "agent-2", "c2"),
                event("e7", 6, "checkpoint_created", null, "c1")));
        s.events().append(OTHER_JOB, List.of(event("x1", 0, "job_started", null, null)));
    }

    public static NewEvent event(String id, int minutes, String type, String agent, String correlation) {
        ObjectNode data = Json.nodes().objectNode().put("n", minutes);
        return new NewEvent(id, T0.plusSeconds(60L * minutes), type, data, correlation, agent);
    }

    /** item-1 failed twice, item-2 once. */
    public static void dlq(UnifiedStorage s) {
        ObjectNode work = Json.nodes().objectNode().put("path", "a.txt");
        s.dlq().add(JOB, new DlqFailure("item-1", work, "timeout", "agent-1", null, Map.of("phase", "map"),
                T0.plusSeconds(100)));
        s.dlq().add(JOB, new DlqFailure("item-1", null, "timeout again", "agent-3", null, Map.of(),
                T0.plusSeconds(200)));
        s.dlq().add(JOB, new DlqFailure("item-2", work, "merge conflict", "agent-2", null, Map.of(),
                T0.plusSeconds(150)));
    }

    /** setup + three map checkpoints for job-1, one workflow checkpoint. */
    public static void checkpoints(UnifiedStorage s) {
        ObjectNode state = Json.nodes().objectNode().put("done", 3);
        s.checkpoints().save(Checkpoint.job("setup", JOB, CheckpointKind.SETUP, 1, T0, 0, state));
        for (int i = 1; i <= 3; i++) {
            s.checkpoints().save(Checkpoint.job("map-000" + i, JOB, CheckpointKind.MAP, 1, T0.plusSeconds(i * 10L),
                    i, state));
        }
        s.checkpoints().save(Checkpoint.workflow("wf-cp-1", "wf-1", T0, 2, List.of(0, 1), Map.of("x", "1"), state));
    }

    public static void sessions(UnifiedStorage s) {
        s.sessions().save(PersistedSession.create("session-a", T0).withState(SessionState.IN_PROGRESS)
                .withProgress(3, 7).withWorktreeName("wt-a")
                .withMetadata(Map.of("job_id", Json.nodes().textNode("job-1"))));
        s.sessions().save(PersistedSession.create("session-b", T0.plusSeconds(60)).withState(SessionState.COMPLETED));
        s.workflows().save(new WorkflowDefinition("wf-1", "build", "1.0", T0, T0, null, null, 0));
    }

    public static void all(UnifiedStorage s) {
        events(s);
        dlq(s);
        checkpoints(s);
        sessions(s);
    }
}
