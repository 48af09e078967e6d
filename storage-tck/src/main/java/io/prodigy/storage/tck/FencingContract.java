package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.Capability;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract that every mutation takes a {@link Fence}: events {@code append}, {@code purge}, {@code deleteJob};
 * checkpoints {@code prune}; DLQ {@code add}, {@code claim}, {@code remove}, {@code release}, {@code purge}; workflows
 * {@code recordExecution} (the session, checkpoint and workflow saves and deletes are covered by their own contracts).
 * Each refuses a superseded token with {@link FencingException} and changes nothing, and accepts the current one.
 * With {@link Capability#ATOMIC_FENCING} the check is atomic with the write: a stale holder's write never lands after
 * the new holder's.
 */
public abstract class FencingContract extends StorageContractSupport {

    private static final Duration LONG_LEASE = Duration.ofMinutes(10);

    private static NewEvent event(String type) {
        return new NewEvent(UUID.randomUUID().toString(), at(0), type, Json.nodes().objectNode(), null, null);
    }

    private List<EventRecord> stored(JobRef job) {
        try (Stream<EventRecord> s = storage().events().query(EventFilter.forJob(job))) {
            return s.toList();
        }
    }

    private static void assertStale(Runnable write, String what) {
        assertThatThrownBy(write::run).as(what + " with a superseded fence").isInstanceOf(FencingException.class);
    }

    @Test
    void eventWritesRefuseAStaleFenceAndChangeNothing() {
        SupersededLease lease = supersede(uniqueId("lock"));
        JobRef job = newJob();
        storage().events().append(job, List.of(event("t"), event("t")), lease.current().fence());
        Fence stale = lease.stale().fence();

        assertStale(() -> storage().events().append(job, List.of(event("t")), stale), "append");
        assertStale(() -> storage().events().purge(job, at(1_000), stale), "purge");
        assertStale(() -> storage().events().deleteJob(job, stale), "deleteJob");
        assertStale(() -> storage().events().append(newJob(), List.of(event("t")), stale), "append to a new job");

        assertThat(stored(job)).hasSize(2);
        assertThat(storage().events().lastSequence(job)).isEqualTo(2);
        assertThat(storage().events().purge(job, at(1_000), lease.current().fence())).isEqualTo(2);
        assertThat(storage().events().deleteJob(job, lease.current().fence())).isZero();
    }

    @Test
    void checkpointPruneRefusesAStaleFenceAndDeletesNothing() {
        SupersededLease lease = supersede(uniqueId("lock"));
        CheckpointScope scope = CheckpointScope.workflow(uniqueId("wf"));
        for (int i = 0; i < 3; i++) {
            storage().checkpoints().save(Checkpoint.workflow(uniqueId("cp"), scope.workflowId(), at(i), i, List.of(),
                    Map.of(), null));
        }

        assertStale(() -> storage().checkpoints().prune(scope, 1, lease.stale().fence()), "prune");
        assertStale(() -> storage().checkpoints().prune(CheckpointScope.workflow(uniqueId("wf")), 0,
                lease.stale().fence()), "prune of an empty scope");

        assertThat(storage().checkpoints().latest(scope)).isPresent();
        assertThat(storage().checkpoints().prune(scope, 1, lease.current().fence())).isEqualTo(2);
    }

    @Test
    void dlqWritesRefuseAStaleFenceAndChangeNothing() {
        SupersededLease lease = supersede(uniqueId("lock"));
        Fence stale = lease.stale().fence();
        Fence current = lease.current().fence();
        JobRef job = newJob();
        String item = uniqueId("item");
        storage().dlq().add(job, DlqFailure.of(item, null, "first").withAt(at(0)), current);
        DlqItem claimed = storage().dlq().claim(job, "w", 1, LONG_LEASE, current).get(0);

        assertStale(() -> storage().dlq().add(job, DlqFailure.of(item, null, "again"), stale), "add");
        assertStale(() -> storage().dlq().claim(job, "w2", 1, LONG_LEASE, stale), "claim");
        assertStale(() -> storage().dlq().remove(job, item, claimed.claim().token(), stale), "remove");
        assertStale(() -> storage().dlq().release(job, item, claimed.claim().token(), "e", stale), "release");
        assertStale(() -> storage().dlq().purge(job, stale), "purge");

        assertThat(storage().dlq().get(job, item)).contains(claimed);
        DlqItem released = storage().dlq().release(job, item, claimed.claim().token(), "e", current);
        assertThat(released.retryCount()).isEqualTo(1);
        assertThat(storage().dlq().remove(job, item, null, current)).isTrue();
        assertThat(storage().dlq().purge(job, current)).isZero();
        assertThat(storage().dlq().list(DlqFilter.forJob(job))).isEmpty();
    }

    @Test
    void recordExecutionRefusesAStaleFenceAndRecordsNothing() {
        SupersededLease lease = supersede(uniqueId("lock"));
        WorkflowDefinition def = storage().workflows().save(new WorkflowDefinition(uniqueId("wf"), "deploy", "1",
                at(0), null, null, null, 0));
        WorkflowExecution run = new WorkflowExecution(uniqueId("exec"), def.id(), at(1), null,
                ExecutionStatus.RUNNING, null);

        assertStale(() -> storage().workflows().recordExecution(run, lease.stale().fence()), "recordExecution");

        assertThat(storage().workflows().executionCount(def.id())).isZero();
        assertThat(storage().workflows().recordExecution(run, lease.current().fence())).isEqualTo(run);
        assertThat(storage().workflows().executionCount(def.id())).isEqualTo(1);
    }

    @Test
    void aStaleHoldersAppendNeverLandsAfterTheNewHoldersWrite() throws Exception {
        assumeCapability(Capability.ATOMIC_FENCING);
        for (int round = 0; round < 5; round++) {
            String key = uniqueId("lock");
            JobRef job = newJob();
            LockLease old = storage().locks().tryAcquire(key, LONG_LEASE).orElseThrow();
            AtomicInteger written = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Throwable> zombie = inBackground(() -> {
                try {
                    while (!stop.get()) {
                        storage().events().append(job, List.of(event("old")), old.fence());
                        written.incrementAndGet();
                    }
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            Await.until("the old holder has written", () -> written.get() >= 10 || zombie.isDone());

            storage().locks().forceRelease(key);
            LockLease taker = storage().locks().tryAcquire(key, LONG_LEASE).orElseThrow();
            long newFirst = storage().events().append(job, List.of(event("new")), taker.fence()).firstSequence();
            Throwable ended = zombie.get(20, TimeUnit.SECONDS);
            stop.set(true);

            assertThat(ended).as("the old holder is refused once the key was granted again")
                    .isInstanceOf(FencingException.class);
            assertThat(stored(job)).filteredOn(e -> e.eventType().equals("old"))
                    .allSatisfy(e -> assertThat(e.sequence()).as("a stale write after the new holder's")
                            .isLessThan(newFirst));
        }
    }
}
