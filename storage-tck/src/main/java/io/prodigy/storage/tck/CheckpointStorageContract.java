package io.prodigy.storage.tck;

import static io.prodigy.storage.tck.ContractAssertions.assertFencedOut;
import static io.prodigy.storage.tck.ContractAssertions.assertInvalidInput;
import static io.prodigy.storage.tck.ContractAssertions.assertVersionConflict;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract of {@link CheckpointStorage}: workflow checkpoints and the three MapReduce job kinds, scoped to their
 * workflow or job; optimistic revisions and conflicts; fencing; {@code latest} (any kind and per kind) by
 * {@code createdAt} then id; {@code list} order, filters (scope, repository, kind, time bounds) and limit; sizes in
 * {@link CheckpointInfo}; {@code delete}; {@code prune} to the newest N; copies independent of the caller's objects;
 * invalid ids rejected.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryCheckpointStorageContractTest extends CheckpointStorageContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 * Every test uses fresh workflow ids, jobs and repositories, so the store may be shared with other tests.
 */
public abstract class CheckpointStorageContract extends StorageContractSupport {

    private CheckpointStorage checkpoints() {
        return storage().checkpoints();
    }

    private static CheckpointScope newWorkflowScope() {
        return CheckpointScope.workflow(uniqueId("workflow"));
    }

    private static Checkpoint workflowCheckpoint(CheckpointScope scope, String id, long createdAtMillis, int step) {
        return Checkpoint.workflow(id, scope.workflowId(), at(createdAtMillis), step, List.of(), Map.of(),
                Json.nodes().objectNode().put("step", step));
    }

    private static Checkpoint workflowCheckpoint(CheckpointScope scope, long createdAtMillis, int step) {
        return workflowCheckpoint(scope, uniqueId("cp"), createdAtMillis, step);
    }

    private static Checkpoint jobCheckpoint(JobRef job, CheckpointKind kind, long createdAtMillis) {
        return Checkpoint.job(uniqueId(kind.name().toLowerCase(java.util.Locale.ROOT)), job, kind, 1,
                at(createdAtMillis), 0, Json.nodes().objectNode().put("kind", kind.name()));
    }

    private List<String> listIds(CheckpointFilter filter) {
        return checkpoints().list(filter).stream().map(CheckpointInfo::id).toList();
    }

    @Test
    void saveStoresRevisionOneAndLoadReturnsTheStoredCopy() {
        CheckpointScope scope = newWorkflowScope();
        Checkpoint stored = checkpoints().save(workflowCheckpoint(scope, 0, 3));

        assertThat(stored.revision()).isEqualTo(1);
        assertThat(checkpoints().load(scope, stored.id())).contains(stored);
    }

    @Test
    void everyFieldRoundTrips() {
        CheckpointScope scope = newWorkflowScope();
        ObjectNode state = Json.nodes().objectNode().put("cursor", "abc").put("pending", 12);
        state.putArray("items").add("a").add("b");
        Checkpoint cp = new Checkpoint(uniqueId("cp"), scope, CheckpointKind.WORKFLOW, 2, at(4_321), 5,
                List.of(0, 1, 2, 4), Map.of("branch", "main", "env", "ci"), state, 0);
        Checkpoint stored = checkpoints().save(cp);

        Checkpoint loaded = checkpoints().load(scope, cp.id()).orElseThrow();
        assertThat(loaded).isEqualTo(stored);
        assertThat(loaded.formatVersion()).isEqualTo(2);
        assertThat(loaded.completedSteps()).containsExactly(0, 1, 2, 4);
        assertThat(loaded.variables()).isEqualTo(Map.of("branch", "main", "env", "ci"));
        assertThat(loaded.state()).isEqualTo(state);
        assertThat(loaded.createdAt()).isEqualTo(at(4_321));
    }

    @Test
    void jobCheckpointsOfEveryKindRoundTripWithTheirFormatVersion() {
        JobRef job = newJob();
        CheckpointScope scope = CheckpointScope.job(job);
        Checkpoint setup = checkpoints().save(jobCheckpoint(job, CheckpointKind.SETUP, 0));
        Checkpoint map = checkpoints().save(jobCheckpoint(job, CheckpointKind.MAP, 1));
        Checkpoint reduce = checkpoints().save(Checkpoint.job(uniqueId("reduce"), job, CheckpointKind.REDUCE, 3,
                at(2), 7, Json.nodes().objectNode().put("results", 99)));

        assertThat(checkpoints().load(scope, setup.id())).contains(setup);
        assertThat(checkpoints().load(scope, map.id())).contains(map);
        Checkpoint loadedReduce = checkpoints().load(scope, reduce.id()).orElseThrow();
        assertThat(loadedReduce).isEqualTo(reduce);
        assertThat(loadedReduce.formatVersion()).isEqualTo(3);
        assertThat(loadedReduce.kind()).isEqualTo(CheckpointKind.REDUCE);
        assertThat(loadedReduce.scope().job()).isEqualTo(job);
    }

    @Test
    void loadOfAnUnknownCheckpointIsEmpty() {
        assertThat(checkpoints().load(newWorkflowScope(), uniqueId("cp"))).isEmpty();
        assertThat(checkpoints().load(CheckpointScope.job(newJob()), uniqueId("cp"))).isEmpty();
    }

    @Test
    void theSameIdInDifferentScopesNamesDifferentCheckpoints() {
        String id = uniqueId("cp");
        CheckpointScope wfA = newWorkflowScope();
        CheckpointScope wfB = newWorkflowScope();
        JobRef job = newJob();
        Checkpoint a = checkpoints().save(workflowCheckpoint(wfA, id, 0, 1));
        Checkpoint b = checkpoints().save(workflowCheckpoint(wfB, id, 0, 2));
        Checkpoint j = checkpoints().save(Checkpoint.job(id, job, CheckpointKind.MAP, 1, at(0), 3, null));

        assertThat(checkpoints().load(wfA, id)).contains(a);
        assertThat(checkpoints().load(wfB, id)).contains(b);
        assertThat(checkpoints().load(CheckpointScope.job(job), id)).contains(j);
        assertThat(checkpoints().delete(wfA, id)).isTrue();
        assertThat(checkpoints().load(wfB, id)).as("deleting in one scope leaves the others").contains(b);
        assertThat(checkpoints().load(CheckpointScope.job(job), id)).contains(j);
    }

    @Test
    void creatingAnExistingIdIsAConflictNotAnOverwrite() {
        CheckpointScope scope = newWorkflowScope();
        Checkpoint first = checkpoints().save(workflowCheckpoint(scope, 0, 1));

        assertVersionConflict(() -> checkpoints().save(workflowCheckpoint(scope, first.id(), 5, 9)), first.id(), 0,
                1);
        assertThat(checkpoints().load(scope, first.id())).contains(first);
    }

    @Test
    void updatesNeedTheStoredRevision() {
        CheckpointScope scope = newWorkflowScope();
        Checkpoint v1 = checkpoints().save(workflowCheckpoint(scope, 0, 1));
        Checkpoint v2 = checkpoints().save(v1.withStepIndex(2));
        assertThat(v2.revision()).isEqualTo(2);
        assertThat(v2.stepIndex()).isEqualTo(2);

        assertVersionConflict(() -> checkpoints().save(v1.withStepIndex(9)), v1.id(), 1, 2);
        assertThat(checkpoints().load(scope, v1.id())).contains(v2);

        checkpoints().delete(scope, v1.id());
        assertVersionConflict(() -> checkpoints().save(v2.withStepIndex(3)), v1.id(), 2, 0);
        assertThat(checkpoints().load(scope, v1.id())).isEmpty();
    }

    @Test
    void storedCopiesAreIndependentOfTheCallersObjects() {
        CheckpointScope scope = newWorkflowScope();
        ObjectNode state = Json.nodes().objectNode().put("n", 1);
        Checkpoint stored = checkpoints().save(workflowCheckpoint(scope, 0, 0).withState(state));
        state.put("n", 666);
        ((ObjectNode) stored.state()).put("n", 667);

        Checkpoint loaded = checkpoints().load(scope, stored.id()).orElseThrow();
        assertThat(loaded.state().get("n").asInt()).isEqualTo(1);
        ((ObjectNode) loaded.state()).put("n", 777);
        assertThat(checkpoints().load(scope, stored.id()).orElseThrow().state().get("n").asInt()).isEqualTo(1);
        assertThat(checkpoints().latest(scope).orElseThrow().state().get("n").asInt()).isEqualTo(1);
    }

    @Test
    void latestIsTheNewestByCreationTimeThenId() {
        CheckpointScope scope = newWorkflowScope();
        checkpoints().save(workflowCheckpoint(scope, 1_000, 1));
        Checkpoint newest = checkpoints().save(workflowCheckpoint(scope, 3_000, 3));
        checkpoints().save(workflowCheckpoint(scope, 2_000, 2));

        assertThat(checkpoints().latest(scope)).contains(newest);

        Checkpoint tieA = checkpoints().save(workflowCheckpoint(scope, "a-" + uniqueId("cp"), 5_000, 5));
        Checkpoint tieB = checkpoints().save(workflowCheckpoint(scope, "b-" + uniqueId("cp"), 5_000, 5));
        assertThat(checkpoints().latest(scope)).as("ties broken by id").contains(tieB);
        assertThat(tieA.id()).isLessThan(tieB.id());
    }

    @Test
    void latestOfAnEmptyScopeIsEmpty() {
        assertThat(checkpoints().latest(newWorkflowScope())).isEmpty();
        assertThat(checkpoints().latest(CheckpointScope.job(newJob()), CheckpointKind.MAP)).isEmpty();
    }

    @Test
    void latestByKindLooksOnlyAtThatKind() {
        JobRef job = newJob();
        CheckpointScope scope = CheckpointScope.job(job);
        Checkpoint setup = checkpoints().save(jobCheckpoint(job, CheckpointKind.SETUP, 0));
        checkpoints().save(jobCheckpoint(job, CheckpointKind.MAP, 1_000));
        Checkpoint newestMap = checkpoints().save(jobCheckpoint(job, CheckpointKind.MAP, 3_000));
        Checkpoint reduce = checkpoints().save(jobCheckpoint(job, CheckpointKind.REDUCE, 2_000));

        assertThat(checkpoints().latest(scope, CheckpointKind.SETUP)).contains(setup);
        assertThat(checkpoints().latest(scope, CheckpointKind.MAP)).contains(newestMap);
        assertThat(checkpoints().latest(scope, CheckpointKind.REDUCE)).contains(reduce);
        assertThat(checkpoints().latest(scope)).contains(newestMap);
        assertThat(checkpoints().latest(scope, CheckpointKind.WORKFLOW)).isEmpty();
    }

    @Test
    void listReturnsSummariesOldestFirst() {
        CheckpointScope scope = newWorkflowScope();
        Checkpoint c3 = checkpoints().save(workflowCheckpoint(scope, 3_000, 3));
        Checkpoint c1 = checkpoints().save(workflowCheckpoint(scope, 1_000, 1));
        Checkpoint c2 = checkpoints().save(workflowCheckpoint(scope, 2_000, 2));

        List<CheckpointInfo> infos = checkpoints().list(CheckpointFilter.forScope(scope));
        assertThat(infos).extracting(CheckpointInfo::id).containsExactly(c1.id(), c2.id(), c3.id());
        assertThat(infos).isSortedAccordingTo(CheckpointStorage.NEWEST_LAST);
        CheckpointInfo first = infos.get(0);
        assertThat(first.scope()).isEqualTo(scope);
        assertThat(first.kind()).isEqualTo(CheckpointKind.WORKFLOW);
        assertThat(first.createdAt()).isEqualTo(at(1_000));
        assertThat(first.stepIndex()).isEqualTo(1);
        assertThat(first.revision()).isEqualTo(1);
        assertThat(first.sizeBytes()).as("size of the stored representation").isPositive();
    }

    @Test
    void sizeGrowsWithTheState() {
        CheckpointScope scope = newWorkflowScope();
        ObjectNode big = Json.nodes().objectNode().put("blob", "x".repeat(10_000));
        Checkpoint small = checkpoints().save(workflowCheckpoint(scope, 0, 0));
        Checkpoint large = checkpoints().save(workflowCheckpoint(scope, 1, 1).withState(big));

        List<CheckpointInfo> infos = checkpoints().list(CheckpointFilter.forScope(scope));
        assertThat(infos).extracting(CheckpointInfo::id).containsExactly(small.id(), large.id());
        assertThat(infos.get(1).sizeBytes()).isGreaterThan(infos.get(0).sizeBytes()).isGreaterThanOrEqualTo(10_000);
    }

    @Test
    void listFiltersByScopeRepositoryKindAndTime() {
        JobRef jobA = newJob();
        JobRef jobA2 = JobRef.of(jobA.repository(), uniqueId("job"));
        JobRef jobB = newJob();
        CheckpointScope wf = newWorkflowScope();
        Checkpoint a1 = checkpoints().save(jobCheckpoint(jobA, CheckpointKind.MAP, 1_000));
        Checkpoint a2 = checkpoints().save(jobCheckpoint(jobA2, CheckpointKind.REDUCE, 2_000));
        Checkpoint a3 = checkpoints().save(jobCheckpoint(jobA, CheckpointKind.MAP, 3_000));
        Checkpoint b1 = checkpoints().save(jobCheckpoint(jobB, CheckpointKind.MAP, 1_500));
        Checkpoint w1 = checkpoints().save(workflowCheckpoint(wf, 1_200, 0));

        CheckpointFilter repoA = new CheckpointFilter(null, jobA.repository(), null, null, null, 0);
        assertThat(listIds(repoA)).containsExactly(a1.id(), a2.id(), a3.id());
        assertThat(listIds(repoA.withKind(CheckpointKind.MAP))).containsExactly(a1.id(), a3.id());
        assertThat(listIds(repoA.withAfter(at(1_000)).withBefore(at(3_000)))).containsExactly(a2.id());
        assertThat(listIds(CheckpointFilter.forScope(CheckpointScope.job(jobA)))).containsExactly(a1.id(), a3.id());
        assertThat(listIds(CheckpointFilter.forScope(CheckpointScope.job(jobB)))).containsExactly(b1.id());
        assertThat(listIds(CheckpointFilter.forScope(wf))).containsExactly(w1.id());
        assertThat(listIds(CheckpointFilter.ALL)).contains(a1.id(), a2.id(), a3.id(), b1.id(), w1.id());
        assertThat(listIds(new CheckpointFilter(null, newRepository(), null, null, null, 0))).isEmpty();
    }

    @Test
    void listAppliesTheLimitAfterFilteringAndOrdering() {
        CheckpointScope scope = newWorkflowScope();
        Checkpoint c1 = checkpoints().save(workflowCheckpoint(scope, 1_000, 1));
        Checkpoint c2 = checkpoints().save(workflowCheckpoint(scope, 2_000, 2));
        checkpoints().save(workflowCheckpoint(scope, 3_000, 3));

        assertThat(listIds(CheckpointFilter.forScope(scope).withLimit(2))).containsExactly(c1.id(), c2.id());
        assertThat(listIds(CheckpointFilter.forScope(scope).withLimit(0))).hasSize(3);
    }

    @Test
    void deleteRemovesTheCheckpointAndReportsWhetherItExisted() {
        CheckpointScope scope = newWorkflowScope();
        Checkpoint gone = checkpoints().save(workflowCheckpoint(scope, 0, 0));
        Checkpoint kept = checkpoints().save(workflowCheckpoint(scope, 1, 1));

        assertThat(checkpoints().delete(scope, gone.id())).isTrue();
        assertThat(checkpoints().delete(scope, gone.id())).isFalse();
        assertThat(checkpoints().load(scope, gone.id())).isEmpty();
        assertThat(listIds(CheckpointFilter.forScope(scope))).containsExactly(kept.id());
    }

    @Test
    void pruneKeepsTheNewestAndLeavesOtherScopesAlone() {
        CheckpointScope scope = newWorkflowScope();
        CheckpointScope other = newWorkflowScope();
        Checkpoint c1 = checkpoints().save(workflowCheckpoint(scope, 1_000, 1));
        checkpoints().save(workflowCheckpoint(scope, 5_000, 5));
        checkpoints().save(workflowCheckpoint(scope, 2_000, 2));
        checkpoints().save(workflowCheckpoint(scope, 4_000, 4));
        checkpoints().save(workflowCheckpoint(scope, 3_000, 3));
        Checkpoint untouched = checkpoints().save(workflowCheckpoint(other, 0, 0));

        assertThat(checkpoints().prune(scope, 2)).isEqualTo(3);
        assertThat(checkpoints().list(CheckpointFilter.forScope(scope))).extracting(CheckpointInfo::createdAt)
                .containsExactly(at(4_000), at(5_000));
        assertThat(checkpoints().load(scope, c1.id())).isEmpty();
        assertThat(checkpoints().prune(scope, 2)).as("nothing more to prune").isZero();
        assertThat(checkpoints().prune(scope, 10)).isZero();
        assertThat(checkpoints().load(other, untouched.id())).contains(untouched);

        assertThat(checkpoints().prune(scope, 0)).as("keep 0 deletes all").isEqualTo(2);
        assertThat(checkpoints().latest(scope)).isEmpty();
    }

    @Test
    void pruneWorksOnJobScopesAcrossKinds() {
        JobRef job = newJob();
        CheckpointScope scope = CheckpointScope.job(job);
        checkpoints().save(jobCheckpoint(job, CheckpointKind.SETUP, 0));
        checkpoints().save(jobCheckpoint(job, CheckpointKind.MAP, 1_000));
        Checkpoint newest = checkpoints().save(jobCheckpoint(job, CheckpointKind.REDUCE, 2_000));

        assertThat(checkpoints().prune(scope, 1)).isEqualTo(2);
        assertThat(listIds(CheckpointFilter.forScope(scope))).containsExactly(newest.id());
    }

    @Test
    void writesWithASupersededFenceAreRejectedAndChangeNothing() {
        CheckpointScope scope = newWorkflowScope();
        Checkpoint v1 = checkpoints().save(workflowCheckpoint(scope, 0, 1));
        Checkpoint fresh = workflowCheckpoint(scope, 1, 1);
        SupersededLease lease = supersede(uniqueId("lock"));

        assertFencedOut(() -> checkpoints().save(v1.withStepIndex(9), lease.stale().fence()), v1.id(),
                lease.stale(), lease.current());
        assertFencedOut(() -> checkpoints().save(fresh, lease.stale().fence()), fresh.id(), lease.stale(),
                lease.current());
        assertFencedOut(() -> checkpoints().delete(scope, v1.id(), lease.stale().fence()), v1.id(), lease.stale(),
                lease.current());
        assertThat(checkpoints().load(scope, v1.id())).contains(v1);
        assertThat(checkpoints().load(scope, fresh.id())).isEmpty();

        assertThat(checkpoints().save(v1.withStepIndex(2), lease.current().fence()).revision()).isEqualTo(2);
        assertThat(checkpoints().delete(scope, v1.id(), lease.current().fence())).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.prodigy.storage.tck.InvalidIds#all")
    void invalidIdsAreRejectedBeforeReachingTheStore(String label, String badId) {
        CheckpointScope scope = newWorkflowScope();
        assertInvalidInput(() -> checkpoints().load(scope, badId), "load of checkpoint id " + label);
        assertInvalidInput(() -> checkpoints().delete(scope, badId), "delete of checkpoint id " + label);
        assertInvalidInput(() -> CheckpointScope.workflow(badId), "a workflow scope with id " + label);
        assertInvalidInput(() -> workflowCheckpoint(scope, badId, 0, 0), "a checkpoint with id " + label);
    }
}
