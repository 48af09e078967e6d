package io.prodigy.storage.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A file store with a small, known MapReduce job and one of every other record, for the dashboard's tests. */
final class Fixture {

    static final JobRef JOB = JobRef.of("proj", "job-1");
    /** A job that has only a DLQ item (no events). */
    static final JobRef DLQ_ONLY = JobRef.of("other", "job-2");
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private Fixture() {}

    static UnifiedStorage open(Path dir) {
        return new FileStorageProvider().open(
                StorageConfig.forBackend("file").withBackendOption("base_dir", dir.toString()), StorageContext.system());
    }

    /** Fills {@code s}; returns the events appended to {@link #JOB}, in order. */
    static List<NewEvent> fill(UnifiedStorage s) {
        List<NewEvent> events = new ArrayList<>();
        events.add(event("job_started", null, 0, data().put("total_items", 4)));
        for (int i = 1; i <= 4; i++) {
            String agent = "agent-" + (i % 2 + 1);
            events.add(event("agent_started", agent, i, data().put("item_id", "item-" + i)));
            events.add(event(i == 3 ? "agent_failed" : "agent_completed", agent, i, data().put("item_id", "item-" + i)));
        }
        // A payload that tries to inject markup: pages must show it as text.
        events.add(event("checkpoint_created", null, 9, data().put("note", "<script>alert('x')</script>")));
        s.events().append(JOB, events);

        s.checkpoints().save(Checkpoint.job("setup", JOB, CheckpointKind.SETUP, 1, T0, 0,
                Json.nodes().objectNode().put("items", 4)));
        s.checkpoints().save(Checkpoint.job("map-1", JOB, CheckpointKind.MAP, 1, T0.plusSeconds(5), 2,
                Json.nodes().objectNode().put("done", 2)));

        s.dlq().add(JOB, new DlqFailure("item-3", Json.nodes().objectNode().put("file", "c.txt"), "merge conflict",
                "agent-2", null, Map.of(), T0.plusSeconds(6)));
        s.dlq().add(JOB, new DlqFailure("item-3", null, "merge conflict again", "agent-1", null, Map.of(),
                T0.plusSeconds(7)));
        s.dlq().claim(JOB, "reprocessor-1", 1, Duration.ofMinutes(5));
        s.dlq().add(DLQ_ONLY, DlqFailure.of("x-1", Json.nodes().textNode("x"), "boom"));

        for (int i = 1; i <= 3; i++) {
            PersistedSession p = PersistedSession.create("session-" + i, T0.plusSeconds(i))
                    .withState(i == 2 ? SessionState.FAILED : SessionState.COMPLETED).withProgress(i, i * 2)
                    .withWorktreeName("wt-" + i);
            s.sessions().save(p);
        }
        s.workflows().save(new WorkflowDefinition("wf-a", "build", "1.0", T0, T0, null,
                new WorkflowMetadata("builds", List.of("ci"), "ana", Map.of()), 0));
        s.workflows().save(new WorkflowDefinition("wf-b", "deploy", "2.0", T0, T0, null,
                new WorkflowMetadata("deploys", List.of("cd"), "bo", Map.of()), 0));
        s.locks().tryAcquire("reduce:proj:job-1", Duration.ofMinutes(10)).orElseThrow();
        s.locks().tryAcquire("setup:proj:job-1", Duration.ofMinutes(10)).orElseThrow();
        return events;
    }

    private static ObjectNode data() {
        return Json.nodes().objectNode().put("job_id", JOB.jobId());
    }

    private static NewEvent event(String type, String agent, int second, ObjectNode data) {
        NewEvent e = NewEvent.of(type, data).withTimestamp(T0.plusSeconds(second));
        return agent == null ? e : e.withAgentId(agent);
    }
}
