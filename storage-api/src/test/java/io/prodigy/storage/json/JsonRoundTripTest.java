package io.prodigy.storage.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every stored record must survive the shared mapper unchanged: backends depend on it. */
class JsonRoundTripTest {

    private static final ObjectMapper M = Json.mapper();
    private static final Instant T = Instant.parse("2025-03-10T14:01:58.411800709Z");
    private static final JobRef JOB = JobRef.of("repo", "job-1");

    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        return M.readValue(M.writeValueAsBytes(value), type);
    }

    @Test
    void recordsRoundTrip() throws Exception {
        Checkpoint jobCheckpoint = Checkpoint.job("map-1", JOB, CheckpointKind.MAP, 2, T, 3,
                M.readTree("{\"done\":[1,2]}"));
        Checkpoint workflowCheckpoint = Checkpoint.workflow("cp-1", "wf-1", T, 1, List.of(0), Map.of("k", "v"),
                M.readTree("{}"));
        PersistedSession session = new PersistedSession("session-1", SessionState.IN_PROGRESS, T, T, 2, 5, "wt",
                Map.of("x", M.readTree("{\"a\":1}")), 3);
        EventRecord event = EventRecord.of(JOB, 7, NewEvent.of("agent_completed", M.readTree("{\"n\":1}"))
                .withAgentId("agent-1"), T);
        DlqItem item = DlqItem.firstFailure(JOB, DlqFailure.of("item-1", M.readTree("{\"file\":\"a\"}"), "boom"), T);
        WorkflowDefinition workflow = new WorkflowDefinition("wf-1", "build", "1.0", T, T, M.readTree("{\"steps\":[]}"),
                new WorkflowMetadata("d", List.of("t"), "me", Map.of()), 1);
        LockLease lease = new LockLease("reduce:job-1", "h-1", "pid 1", T, Duration.ofSeconds(30), T.plusSeconds(30), 4);

        assertThat(roundTrip(jobCheckpoint, Checkpoint.class)).isEqualTo(jobCheckpoint);
        assertThat(roundTrip(workflowCheckpoint, Checkpoint.class)).isEqualTo(workflowCheckpoint);
        assertThat(roundTrip(session, PersistedSession.class)).isEqualTo(session);
        assertThat(roundTrip(event, EventRecord.class)).isEqualTo(event);
        assertThat(roundTrip(item, DlqItem.class)).isEqualTo(item);
        assertThat(roundTrip(workflow, WorkflowDefinition.class)).isEqualTo(workflow);
        assertThat(roundTrip(lease, LockLease.class)).isEqualTo(lease);
    }

    @Test
    void fieldNamesAreSnakeCaseAndTimestampsIsoUtcInWholeMicroseconds() throws Exception {
        String json = M.writeValueAsString(Checkpoint.job("map-1", JOB, CheckpointKind.MAP, 2, T, 3, null));
        // The record truncated the nanoseconds: every backend stores microseconds, so save returns what load will.
        assertThat(json).contains("\"format_version\":2").contains("\"created_at\":\"2025-03-10T14:01:58.411800Z\"")
                .contains("\"scope\":{\"job\":{\"repository\":\"repo\",\"job_id\":\"job-1\"}}")
                .doesNotContain("\"job\":true");
    }
}
