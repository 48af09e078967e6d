package io.prodigy.storage.memory;

import static io.prodigy.storage.memory.Fixtures.JOB;
import static io.prodigy.storage.memory.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A caller mutating a JSON tree it passed in or got back must change nothing stored. */
class DeepCopyTest {

    private final MemoryStorage storage = Fixtures.open(new TestClock(T0));

    @AfterEach
    void close() {
        storage.close();
    }

    private static void scribble(com.fasterxml.jackson.databind.JsonNode node) {
        ((ObjectNode) node).put("scribbled", true);
    }

    @Test
    void sessionMetadata() {
        ObjectNode branch = Fixtures.json("name", "main");
        storage.sessions().save(Fixtures.session("s-1").withMetadata(Map.of("branch", branch)));
        branch.put("name", "changed-after-save");

        PersistedSession loaded = storage.sessions().load("s-1").orElseThrow();
        scribble(loaded.metadata().get("branch"));
        scribble(storage.sessions().list(SessionFilter.ALL).get(0).metadata().get("branch"));

        assertThat(storage.sessions().load("s-1").orElseThrow().metadata().get("branch"))
                .isEqualTo(Fixtures.json("name", "main"));
    }

    @Test
    void theReturnedCopyOfASaveIsNotTheStoredOne() {
        PersistedSession saved = storage.sessions().save(Fixtures.session("s-1"));
        scribble(saved.metadata().get("branch"));

        assertThat(storage.sessions().load("s-1").orElseThrow().metadata().get("branch"))
                .isEqualTo(Fixtures.json("name", "main"));
    }

    @Test
    void eventData() {
        ObjectNode data = Fixtures.json("n", 1);
        storage.events().append(JOB, List.of(new NewEvent("e-1", T0, "a_started", data, null, null)));
        data.put("n", 2);

        try (Stream<EventRecord> events = storage.events().query(EventFilter.forJob(JOB))) {
            scribble(events.findFirst().orElseThrow().data());
        }
        try (Stream<EventRecord> events = storage.events().query(EventFilter.forJob(JOB))) {
            assertThat(events.findFirst().orElseThrow().data()).isEqualTo(Fixtures.json("n", 1));
        }
    }

    @Test
    void checkpointState() {
        ObjectNode state = Fixtures.json("step", 1);
        Checkpoint saved = storage.checkpoints().save(Fixtures.workflowCheckpoint("cp-1", "wf-1", T0)
                .withState(state));
        state.put("step", 99);
        scribble(saved.state());
        CheckpointScope scope = CheckpointScope.workflow("wf-1");
        scribble(storage.checkpoints().latest(scope).orElseThrow().state());
        scribble(storage.checkpoints().load(scope, "cp-1").orElseThrow().state());

        assertThat(storage.checkpoints().load(scope, "cp-1").orElseThrow().state())
                .isEqualTo(Fixtures.json("step", 1));
    }

    @Test
    void dlqWorkItemAndFailureDetails() {
        ObjectNode workItem = Fixtures.json("item", "a");
        ObjectNode details = Fixtures.json("exit_code", 1);
        storage.dlq().add(JOB, new DlqFailure("a", workItem, "boom", null, details, Map.of(), null));
        workItem.put("item", "changed");
        details.put("exit_code", 42);

        DlqItem got = storage.dlq().get(JOB, "a").orElseThrow();
        scribble(got.workItem());
        scribble(got.failureHistory().get(0).details());
        scribble(storage.dlq().list(DlqFilter.forJob(JOB)).get(0).workItem());
        scribble(storage.dlq().claim(JOB, "w", 1, Duration.ofMinutes(1)).get(0).workItem());

        DlqItem again = storage.dlq().get(JOB, "a").orElseThrow();
        assertThat(again.workItem()).isEqualTo(Fixtures.json("item", "a"));
        assertThat(again.failureHistory().get(0).details()).isEqualTo(Fixtures.json("exit_code", 1));
    }

    @Test
    void workflowContentAndParameterDefaults() {
        WorkflowDefinition original = Fixtures.workflow("wf-1");
        WorkflowDefinition saved = storage.workflows().save(original);
        scribble(original.content());
        scribble(original.metadata().parameters().get("p").defaultValue());
        scribble(saved.content());

        WorkflowDefinition loaded = storage.workflows().load("wf-1").orElseThrow();
        assertThat(loaded.content()).isEqualTo(Fixtures.json("steps", List.of("a", "b")));
        assertThat(loaded.metadata().parameters().get("p").defaultValue()).isEqualTo(Fixtures.json("level", "high"));
    }

    @Test
    void jsonNullDataStaysJsonNull() {
        storage.dlq().add(JOB, DlqFailure.of("n", null, "e"));

        assertThat(storage.dlq().get(JOB, "n").orElseThrow().workItem()).isEqualTo(Json.nodes().nullNode());
        assertThat(storage.dlq().get(JOB, "n").orElseThrow().failureHistory().get(0).details()).isNull();
    }
}
