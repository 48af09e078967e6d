package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertFencedOut;
import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static io.prodigy.storage.tck.ContractAssertions.assertVersionConflict;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.Capability;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.ParameterDefinition;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowMetadata;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@link WorkflowStorage}: definitions with optimistic revisions, conflicts and fencing;
 * {@code list} as {@link WorkflowInfo} with execution counts, ordered by creation time then id, filtered by name,
 * tag, author and time, with a limit; executions upserted by id, listed oldest first with a limit and counted;
 * {@code delete} removes a definition with its executions; copies independent of the caller's objects; invalid ids
 * rejected.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryWorkflowStorageContractTest extends WorkflowStorageContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 * Every test isolates its listings by a fresh name, tag or author, so the store may be shared with other tests.
 */
public abstract class WorkflowStorageContract extends StorageContractSupport {

    private WorkflowStorage workflows() {
        return storage().workflows();
    }

    private static WorkflowDefinition definition(String name, long createdAtMillis, WorkflowMetadata metadata) {
        return new WorkflowDefinition(uniqueId("wf"), name, "1.0", at(createdAtMillis), null,
                Json.nodes().objectNode().put("name", name), metadata, 0);
    }

    private static WorkflowMetadata tagged(String tag, String author) {
        return new WorkflowMetadata("a workflow", List.of(tag), author, Map.of());
    }

    private static WorkflowExecution execution(String workflowId, long startedAtMillis) {
        return new WorkflowExecution(uniqueId("exec"), workflowId, at(startedAtMillis), null, ExecutionStatus.RUNNING,
                null);
    }

    private List<String> listIds(WorkflowFilter filter) {
        return workflows().list(filter).stream().map(WorkflowInfo::id).toList();
    }

    @Test
    void saveStoresRevisionOneAndLoadReturnsTheStoredCopy() {
        WorkflowDefinition stored = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));

        assertThat(stored.revision()).isEqualTo(1);
        assertThat(workflows().load(stored.id())).contains(stored);
    }

    @Test
    void everyFieldRoundTrips() {
        ObjectNode content = Json.nodes().objectNode().put("name", "deploy");
        content.putArray("commands").addObject().put("shell", "cargo test");
        WorkflowMetadata metadata = new WorkflowMetadata("Deploys things", List.of("ci", "prod"), "alice",
                Map.of("target", new ParameterDefinition("target", "string", true, Json.nodes().textNode("staging"),
                        "where to deploy"), "dry_run", new ParameterDefinition("dry_run", "boolean", false, null,
                        null)));
        WorkflowDefinition def = new WorkflowDefinition(uniqueId("wf"), "deploy", "2.3.1", at(5_000), at(5_000),
                content, metadata, 0);

        WorkflowDefinition stored = workflows().save(def);
        WorkflowDefinition loaded = workflows().load(def.id()).orElseThrow();

        assertThat(loaded).isEqualTo(stored);
        assertThat(loaded.name()).isEqualTo("deploy");
        assertThat(loaded.version()).isEqualTo("2.3.1");
        assertThat(loaded.createdAt()).isEqualTo(at(5_000));
        assertThat(loaded.content()).isEqualTo(content);
        assertThat(loaded.metadata()).isEqualTo(metadata);
    }

    @Test
    void writesStampUpdatedAtWithTheStoreClock() {
        assumeCapability(Capability.CLIENT_CLOCK);
        Instant createdAt = clock.advance(Duration.ofSeconds(5));
        WorkflowDefinition created = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));
        assertThat(created.updatedAt()).as("the store sets updatedAt, whatever the caller passed")
                .isEqualTo(createdAt);

        Instant later = clock.advance(Duration.ofMinutes(3));
        WorkflowDefinition updated = workflows().save(created.withContent(Json.nodes().objectNode()));
        assertThat(updated.updatedAt()).isEqualTo(later);
        assertThat(updated.createdAt()).isEqualTo(at(0));
    }

    @Test
    void loadOfAnUnknownIdIsEmpty() {
        assertThat(workflows().load(uniqueId("wf"))).isEmpty();
    }

    @Test
    void creatingAnExistingIdIsAConflictNotAnOverwrite() {
        WorkflowDefinition first = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));
        WorkflowDefinition again = new WorkflowDefinition(first.id(), "other", "9", at(1), null, null, null, 0);

        assertVersionConflict(() -> workflows().save(again), first.id(), 0, 1);
        assertThat(workflows().load(first.id())).contains(first);
    }

    @Test
    void updatesNeedTheStoredRevision() {
        WorkflowDefinition v1 = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));
        WorkflowDefinition v2 = workflows().save(v1.withMetadata(tagged("t", "bob")));
        assertThat(v2.revision()).isEqualTo(2);
        assertThat(v2.metadata().author()).isEqualTo("bob");

        assertVersionConflict(() -> workflows().save(v1.withMetadata(tagged("x", "eve"))), v1.id(), 1, 2);
        assertThat(workflows().load(v1.id())).contains(v2);

        workflows().delete(v1.id());
        assertVersionConflict(() -> workflows().save(v2.withContent(null)), v1.id(), 2, 0);
        assertThat(workflows().load(v1.id())).isEmpty();
    }

    @Test
    void storedCopiesAreIndependentOfTheCallersObjects() {
        ObjectNode content = Json.nodes().objectNode().put("n", 1);
        WorkflowDefinition stored = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY)
                .withContent(content));
        content.put("n", 666);
        ((ObjectNode) stored.content()).put("n", 667);

        WorkflowDefinition loaded = workflows().load(stored.id()).orElseThrow();
        assertThat(loaded.content().get("n").asInt()).isEqualTo(1);
        ((ObjectNode) loaded.content()).put("n", 777);
        assertThat(workflows().load(stored.id()).orElseThrow().content().get("n").asInt()).isEqualTo(1);
    }

    @Test
    void listReturnsSummariesOrderedByCreationTimeThenId() {
        String tag = uniqueId("tag");
        WorkflowDefinition late = workflows().save(definition("late", 3_000, tagged(tag, null)));
        WorkflowDefinition early = workflows().save(definition("early", 1_000, tagged(tag, null)));
        WorkflowDefinition tieA = workflows().save(new WorkflowDefinition("a-" + uniqueId("wf"), "tie", "1",
                at(2_000), null, null, tagged(tag, null), 0));
        WorkflowDefinition tieB = workflows().save(new WorkflowDefinition("b-" + uniqueId("wf"), "tie", "1",
                at(2_000), null, null, tagged(tag, null), 0));
        workflows().recordExecution(execution(early.id(), 0));
        workflows().recordExecution(execution(early.id(), 1));

        List<WorkflowInfo> infos = workflows().list(WorkflowFilter.ALL.withTag(tag));
        assertThat(infos).extracting(WorkflowInfo::id)
                .containsExactly(early.id(), tieA.id(), tieB.id(), late.id());
        WorkflowInfo first = infos.get(0);
        assertThat(first).isEqualTo(new WorkflowInfo(early.id(), "early", "1.0", early.createdAt(),
                early.updatedAt(), 2, 1));
        assertThat(infos.get(3).executionCount()).isZero();
    }

    @Test
    void listFiltersByNameTagAuthorAndTime() {
        String name = uniqueId("name");
        String tag = uniqueId("tag");
        String author = uniqueId("author");
        WorkflowDefinition a = workflows().save(definition(name, 1_000, tagged(tag, author)));
        WorkflowDefinition b = workflows().save(definition(name, 2_000,
                new WorkflowMetadata(null, List.of("other", tag), null, Map.of())));
        WorkflowDefinition c = workflows().save(definition(uniqueId("name"), 3_000, tagged(uniqueId("tag"), author)));

        assertThat(listIds(WorkflowFilter.ALL.withName(name))).containsExactly(a.id(), b.id());
        assertThat(listIds(WorkflowFilter.ALL.withTag(tag))).as("tag matches any of the tags")
                .containsExactly(a.id(), b.id());
        assertThat(listIds(WorkflowFilter.ALL.withAuthor(author))).containsExactly(a.id(), c.id());
        assertThat(listIds(WorkflowFilter.ALL.withAuthor(author).withName(name))).containsExactly(a.id());
        assertThat(listIds(WorkflowFilter.ALL.withName(name).withAfter(at(1_000)))).containsExactly(b.id());
        assertThat(listIds(WorkflowFilter.ALL.withName(name).withBefore(at(2_000)))).containsExactly(a.id());
        assertThat(listIds(WorkflowFilter.ALL.withAuthor(author).withAfter(at(1_000)).withBefore(at(3_000))))
                .isEmpty();
        assertThat(listIds(WorkflowFilter.ALL.withTag(uniqueId("nothing")))).isEmpty();
        assertThat(listIds(WorkflowFilter.ALL)).contains(a.id(), b.id(), c.id());
    }

    @Test
    void listAppliesTheLimitAfterFilteringAndOrdering() {
        String tag = uniqueId("tag");
        WorkflowDefinition w1 = workflows().save(definition("n", 1_000, tagged(tag, null)));
        WorkflowDefinition w2 = workflows().save(definition("n", 2_000, tagged(tag, null)));
        workflows().save(definition("n", 3_000, tagged(tag, null)));

        assertThat(listIds(WorkflowFilter.ALL.withTag(tag).withLimit(2))).containsExactly(w1.id(), w2.id());
        assertThat(listIds(WorkflowFilter.ALL.withTag(tag).withLimit(0))).hasSize(3);
    }

    @Test
    void executionsAreUpsertedByIdAndCounted() {
        WorkflowDefinition wf = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));
        WorkflowExecution running = workflows().recordExecution(execution(wf.id(), 1_000));
        assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(workflows().executionCount(wf.id())).isEqualTo(1);

        WorkflowExecution done = running.finished(ExecutionStatus.COMPLETED, at(61_000));
        workflows().recordExecution(done);

        assertThat(workflows().executionCount(wf.id())).as("an update is not a second execution").isEqualTo(1);
        assertThat(workflows().listExecutions(wf.id(), 0)).containsExactly(done);
        assertThat(done.duration()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void executionsAreListedOldestFirstWithALimitAndBelongToTheirWorkflow() {
        WorkflowDefinition wf = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));
        WorkflowDefinition other = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));
        WorkflowExecution e3 = workflows().recordExecution(execution(wf.id(), 3_000));
        WorkflowExecution e1 = workflows().recordExecution(execution(wf.id(), 1_000));
        WorkflowExecution e2 = workflows().recordExecution(execution(wf.id(), 2_000)
                .finished(ExecutionStatus.FAILED, at(2_500)));
        WorkflowExecution o1 = workflows().recordExecution(execution(other.id(), 0));

        assertThat(workflows().listExecutions(wf.id(), 0)).containsExactly(e1, e2, e3);
        assertThat(workflows().listExecutions(wf.id(), 2)).containsExactly(e1, e2);
        assertThat(workflows().listExecutions(other.id(), 0)).containsExactly(o1);
        assertThat(workflows().executionCount(wf.id())).isEqualTo(3);
        assertThat(workflows().executionCount(other.id())).isEqualTo(1);
    }

    @Test
    void anExecutionOfAnUnknownWorkflowIsNotFound() {
        String id = uniqueId("wf");
        assertThatThrownBy(() -> workflows().recordExecution(execution(id, 0)))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining(id);
        assertThat(workflows().executionCount(id)).isZero();
        assertThat(workflows().listExecutions(id, 0)).isEmpty();
    }

    @Test
    void deleteRemovesTheDefinitionAndItsExecutions() {
        WorkflowDefinition wf = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));
        workflows().recordExecution(execution(wf.id(), 0));
        workflows().recordExecution(execution(wf.id(), 1));

        assertThat(workflows().delete(wf.id())).isTrue();
        assertThat(workflows().load(wf.id())).isEmpty();
        assertThat(workflows().executionCount(wf.id())).isZero();
        assertThat(workflows().listExecutions(wf.id(), 0)).isEmpty();
        assertThat(workflows().delete(wf.id())).isFalse();

        WorkflowDefinition again = workflows().save(new WorkflowDefinition(wf.id(), "again", "1", at(9), null, null,
                null, 0));
        assertThat(again.revision()).isEqualTo(1);
        assertThat(workflows().executionCount(wf.id())).as("a re-created workflow starts without executions")
                .isZero();
    }

    @Test
    void writesWithASupersededFenceAreRejectedAndChangeNothing() {
        WorkflowDefinition v1 = workflows().save(definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY));
        WorkflowDefinition fresh = definition(uniqueId("name"), 0, WorkflowMetadata.EMPTY);
        SupersededLease lease = supersede(uniqueId("lock"));

        assertFencedOut(() -> workflows().save(v1.withMetadata(tagged("x", "zombie")), lease.stale().fence()),
                v1.id(), lease.stale(), lease.current());
        assertFencedOut(() -> workflows().save(fresh, lease.stale().fence()), fresh.id(), lease.stale(),
                lease.current());
        assertFencedOut(() -> workflows().delete(v1.id(), lease.stale().fence()), v1.id(), lease.stale(),
                lease.current());
        assertThat(workflows().load(v1.id())).contains(v1);
        assertThat(workflows().load(fresh.id())).isEmpty();

        assertThat(workflows().save(v1.withMetadata(tagged("x", "alive")), lease.current().fence()).revision())
                .isEqualTo(2);
        assertThat(workflows().delete(v1.id(), lease.current().fence())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.prodigy.storage.tck.InvalidIds#all")
    void invalidIdsAreRejectedBeforeReachingTheStore(String label, String badId) {
        assertInvalidInput(() -> workflows().load(badId), "load of workflow id " + label);
        assertInvalidInput(() -> workflows().delete(badId), "delete of workflow id " + label);
        assertInvalidInput(() -> workflows().listExecutions(badId, 0), "listExecutions of workflow id " + label);
        assertInvalidInput(() -> workflows().executionCount(badId), "executionCount of workflow id " + label);
        assertInvalidInput(() -> new WorkflowDefinition(badId, "n", "1", at(0), null, null, null, 0),
                "a workflow definition with id " + label);
    }
}
