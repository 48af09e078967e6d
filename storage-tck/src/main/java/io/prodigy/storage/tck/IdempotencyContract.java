package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.Capability;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.FailureRecord;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.tck.fault.Fault;
import io.prodigy.storage.tck.fault.FaultInjectingStorage;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract that every write can be retried after its reply was lost and is applied once: an append (on backends
 * with {@link Capability#IDEMPOTENT_APPEND}) by event id, a DLQ {@code add} by failure id, a {@code release} with an
 * error by its claim, a versioned {@code save} (sessions, checkpoints, workflows) because it recognises its own write
 * stored at the next revision, and {@code recordExecution} because it is an upsert.
 *
 * <p>A lost reply is simulated with {@link FaultInjectingStorage}: the backend applies the call, then the caller gets
 * a {@link StorageUnavailableException} and sends the very same call again, as the retry layer does.
 */
public abstract class IdempotencyContract extends StorageContractSupport {

    private static final Duration LONG_LEASE = Duration.ofMinutes(10);

    /** The storage of this test behind a fault injector whose first call of {@code operation} loses its reply. */
    private FaultInjectingStorage losingTheFirstReplyOf(String operation) {
        FaultInjectingStorage faulty = FaultInjectingStorage.wrap(storage());
        faulty.inject(Fault.on(operation).onCall(1).failAfterApplying(Fault.LOST_REPLY));
        return faulty;
    }

    /** Calls {@code write} once with its reply lost, then again (the retry), and returns the retry's result. */
    private static <T> T retriedAfterALostReply(Supplier<T> write) {
        assertThatThrownBy(write::get).as("the first attempt's reply is lost")
                .isInstanceOf(StorageUnavailableException.class);
        return write.get();
    }

    private static NewEvent event(String type, long millis) {
        return new NewEvent(UUID.randomUUID().toString(), at(millis), type, Json.nodes().objectNode().put("n", millis),
                null, null);
    }

    private static List<NewEvent> events(int count) {
        return IntStream.range(0, count).mapToObj(i -> event("t", i)).toList();
    }

    private List<EventRecord> stored(JobRef job) {
        try (Stream<EventRecord> s = storage().events().query(EventFilter.forJob(job))) {
            return s.toList();
        }
    }

    // ------------------------------------------------------------------------------------------------ appends

    @Test
    void anAppendRetriedAfterALostReplyStoresItsEventsOnce() {
        assumeCapability(Capability.IDEMPOTENT_APPEND);
        JobRef job = newJob();
        List<NewEvent> batch = events(3);
        FaultInjectingStorage faulty = losingTheFirstReplyOf("events.append");

        AppendResult retry = retriedAfterALostReply(() -> faulty.events().append(job, batch));

        assertThat(retry.appended()).isZero();
        assertThat(retry.duplicates()).isEqualTo(3);
        assertThat(retry.firstSequence()).isZero();
        assertThat(retry.lastSequence()).isEqualTo(3);
        assertThat(retry.alreadyStored()).as("where the retried events are")
                .containsExactly(Map.entry(batch.get(0).id(), 1L), Map.entry(batch.get(1).id(), 2L),
                        Map.entry(batch.get(2).id(), 3L));
        assertThat(stored(job)).extracting(EventRecord::id)
                .containsExactly(batch.get(0).id(), batch.get(1).id(), batch.get(2).id());
        assertThat(storage().events().lastSequence(job)).isEqualTo(3);
    }

    @Test
    void aBatchMixingStoredAndNewEventsStoresOnlyTheNewOnesInBatchOrder() {
        assumeCapability(Capability.IDEMPOTENT_APPEND);
        JobRef job = newJob();
        List<NewEvent> first = events(2);
        storage().events().append(job, first);
        NewEvent a = event("new", 10);
        NewEvent b = event("new", 11);

        AppendResult mixed = storage().events().append(job, List.of(a, first.get(1), b, first.get(0)));

        assertThat(mixed.appended()).isEqualTo(2);
        assertThat(mixed.duplicates()).isEqualTo(2);
        assertThat(mixed.firstSequence()).isEqualTo(3);
        assertThat(mixed.lastSequence()).isEqualTo(4);
        assertThat(mixed.alreadyStored()).containsExactly(Map.entry(first.get(1).id(), 2L),
                Map.entry(first.get(0).id(), 1L));
        assertThat(stored(job)).extracting(EventRecord::id)
                .containsExactly(first.get(0).id(), first.get(1).id(), a.id(), b.id());
    }

    @Test
    void anIdRepeatedWithinOneBatchIsStoredOnce() {
        assumeCapability(Capability.IDEMPOTENT_APPEND);
        JobRef job = newJob();
        NewEvent a = event("t", 1);
        NewEvent b = event("t", 2);

        AppendResult result = storage().events().append(job, List.of(a, b, a));

        assertThat(result.appended()).isEqualTo(2);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.alreadyStored()).as("the append stored that id itself").isEmpty();
        assertThat(stored(job)).extracting(EventRecord::id).containsExactly(a.id(), b.id());
    }

    @Test
    void aRetryIsRecognisedAfterOtherAppendsToTheJob() {
        assumeCapability(Capability.IDEMPOTENT_APPEND);
        JobRef job = newJob();
        List<NewEvent> batch = events(5);
        storage().events().append(job, batch);
        for (int i = 0; i < 20; i++) {
            storage().events().append(job, events(50));
        }

        AppendResult retry = storage().events().append(job, batch);

        assertThat(retry.appended()).isZero();
        assertThat(retry.alreadyStored().values()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(storage().events().lastSequence(job)).isEqualTo(1_005);
    }

    @Test
    void aRetryIsRecognisedByAnotherOpeningOfTheStore() {
        assumeCapability(Capability.IDEMPOTENT_APPEND);
        assumeCapability(Capability.MULTI_PROCESS);
        JobRef job = newJob();
        List<NewEvent> batch = events(3);
        storage().events().append(job, batch);
        UnifiedStorage second = reopenStorage(storage());
        second.events().append(job, events(2));

        AppendResult retry = second.events().append(job, batch);
        AppendResult retryHere = storage().events().append(job, List.of(batch.get(2), event("t", 99)));

        assertThat(retry.appended()).isZero();
        assertThat(retryHere.appended()).as("the first store learned the other one's appends").isEqualTo(1);
        assertThat(retryHere.alreadyStored()).containsExactly(Map.entry(batch.get(2).id(), 3L));
        assertThat(stored(job)).hasSize(6);
    }

    @Test
    void anEventPurgedOrDeletedIsStoredAgainWhenItsIdIsAppendedAgain() {
        assumeCapability(Capability.IDEMPOTENT_APPEND);
        JobRef job = newJob();
        NewEvent e = event("t", 1);
        storage().events().append(job, List.of(e));
        storage().events().purge(job, at(1_000));

        assertThat(storage().events().append(job, List.of(e)).appended()).as("after a purge").isEqualTo(1);
        storage().events().deleteJob(job);
        assertThat(storage().events().append(job, List.of(e)).firstSequence()).as("after deleteJob").isEqualTo(3);
    }

    // ------------------------------------------------------------------------------------------------ DLQ

    @Test
    void aDlqAddRetriedAfterALostReplyRecordsTheFailureOnce() {
        JobRef job = newJob();
        DlqFailure failure = DlqFailure.of(uniqueId("item"), Json.nodes().objectNode(), "boom").withAt(at(1_000));
        FaultInjectingStorage faulty = losingTheFirstReplyOf("dlq.add");

        DlqItem retry = retriedAfterALostReply(() -> faulty.dlq().add(job, failure));

        assertThat(retry.retryCount()).isZero();
        assertThat(retry.failureHistory()).extracting(FailureRecord::failureId).containsExactly(failure.failureId());
        assertThat(storage().dlq().get(job, failure.itemId())).contains(retry);
    }

    @Test
    void aSecondFailureOfAnItemIsRecordedAndItsRetryIsNot() {
        JobRef job = newJob();
        String item = uniqueId("item");
        storage().dlq().add(job, DlqFailure.of(item, null, "first").withAt(at(1_000)));
        DlqFailure second = DlqFailure.of(item, null, "second").withAt(at(2_000));
        FaultInjectingStorage faulty = losingTheFirstReplyOf("dlq.add");

        DlqItem retry = retriedAfterALostReply(() -> faulty.dlq().add(job, second));

        assertThat(retry.retryCount()).isEqualTo(1);
        assertThat(retry.failureHistory()).extracting(FailureRecord::error).containsExactly("first", "second");
        assertThat(storage().dlq().add(job, DlqFailure.of(item, null, "third")).retryCount())
                .as("a new failure object is a new failure").isEqualTo(2);
        assertThat(DlqFailure.of(item, null, "x").failureId()).isNotEqualTo(DlqFailure.of(item, null, "x").failureId());
    }

    @Test
    void aReleaseWithAnErrorRetriedAfterALostReplyRecordsTheFailureOnce() {
        JobRef job = newJob();
        String item = uniqueId("item");
        storage().dlq().add(job, DlqFailure.of(item, null, "first").withAt(at(1_000)));
        DlqItem claimed = storage().dlq().claim(job, "worker-1", 1, LONG_LEASE).get(0);
        FaultInjectingStorage faulty = losingTheFirstReplyOf("dlq.release");

        DlqItem retry = retriedAfterALostReply(
                () -> faulty.dlq().release(job, item, claimed.claim().token(), "reprocessing failed"));

        assertThat(retry.retryCount()).isEqualTo(1);
        assertThat(retry.claim()).isNull();
        assertThat(retry.failureHistory()).extracting(FailureRecord::error)
                .containsExactly("first", "reprocessing failed");
        assertThat(retry.failureHistory().get(1).agentId()).as("recorded for the claim's worker")
                .isEqualTo("worker-1");
        assertThat(storage().dlq().get(job, item)).contains(retry);
    }

    // ------------------------------------------------------------------------------------------------ saves

    @Test
    void aSessionCreateRetriedAfterALostReplyReturnsTheStoredSession() {
        PersistedSession session = PersistedSession.create(uniqueId("session"), at(1_000));
        FaultInjectingStorage faulty = losingTheFirstReplyOf("sessions.save");

        PersistedSession retry = retriedAfterALostReply(() -> faulty.sessions().save(session));

        assertThat(retry.revision()).isEqualTo(1);
        assertThat(storage().sessions().load(session.id())).contains(retry);
    }

    @Test
    void aSessionUpdateRetriedAfterALostReplyReturnsTheStoredSession() {
        PersistedSession stored = storage().sessions().save(PersistedSession.create(uniqueId("session"), at(1_000)));
        PersistedSession update = stored.withState(SessionState.IN_PROGRESS).withProgress(3, 7);
        FaultInjectingStorage faulty = losingTheFirstReplyOf("sessions.save");

        PersistedSession retry = retriedAfterALostReply(() -> faulty.sessions().save(update));

        assertThat(retry.revision()).isEqualTo(2);
        assertThat(retry.state()).isEqualTo(SessionState.IN_PROGRESS);
        assertThat(storage().sessions().load(stored.id())).contains(retry);
    }

    @Test
    void aSaveThatIsNotTheStoredWriteStillConflicts() {
        PersistedSession stored = storage().sessions().save(PersistedSession.create(uniqueId("session"), at(1_000)));
        PersistedSession mine = stored.withProgress(1, 1);
        PersistedSession theirs = stored.withProgress(1, 1);
        storage().sessions().save(mine);

        assertThatThrownBy(() -> storage().sessions().save(theirs))
                .as("another writer's write with the same content (two increments of one counter)")
                .isInstanceOf(VersionConflictException.class);
        assertThatThrownBy(() -> storage().sessions().save(stored.withProgress(2, 2)))
                .as("a different write at the same revision").isInstanceOf(VersionConflictException.class);
        assertThatThrownBy(() -> storage().sessions().save(PersistedSession.create(stored.id(), at(1_000))))
                .as("a create two revisions behind").isInstanceOf(VersionConflictException.class);
    }

    @Test
    void aCheckpointSaveRetriedAfterALostReplyReturnsTheStoredCheckpoint() {
        Checkpoint cp = Checkpoint.workflow(uniqueId("cp"), uniqueId("wf"), at(1_000), 2, List.of(0, 1),
                Map.of("k", "v"), Json.nodes().objectNode().put("step", 2));
        FaultInjectingStorage faulty = losingTheFirstReplyOf("checkpoints.save");

        Checkpoint created = retriedAfterALostReply(() -> faulty.checkpoints().save(cp));
        Checkpoint update = created.withStepIndex(3);
        faulty.inject(Fault.on("checkpoints.save").onCall(1).failAfterApplying(Fault.LOST_REPLY));
        Checkpoint updated = retriedAfterALostReply(() -> faulty.checkpoints().save(update));

        assertThat(created.revision()).isEqualTo(1);
        assertThat(updated.revision()).isEqualTo(2);
        assertThat(storage().checkpoints().load(cp.scope(), cp.id())).contains(updated);
    }

    @Test
    void aWorkflowSaveRetriedAfterALostReplyReturnsTheStoredDefinition() {
        WorkflowDefinition def = new WorkflowDefinition(uniqueId("wf"), "deploy", "1.0", at(1_000), null,
                Json.nodes().objectNode().put("steps", 3), null, 0);
        FaultInjectingStorage faulty = losingTheFirstReplyOf("workflows.save");

        WorkflowDefinition retry = retriedAfterALostReply(() -> faulty.workflows().save(def));

        assertThat(retry.revision()).isEqualTo(1);
        assertThat(storage().workflows().load(def.id())).contains(retry);
    }

    @Test
    void anExecutionRecordedAgainAfterALostReplyIsStoredOnce() {
        WorkflowDefinition def = storage().workflows().save(new WorkflowDefinition(uniqueId("wf"), "deploy", "1.0",
                at(1_000), null, null, null, 0));
        WorkflowExecution run = new WorkflowExecution(uniqueId("exec"), def.id(), at(2_000), null,
                ExecutionStatus.RUNNING, null);
        FaultInjectingStorage faulty = losingTheFirstReplyOf("workflows.recordExecution");

        retriedAfterALostReply(() -> faulty.workflows().recordExecution(run));

        assertThat(storage().workflows().executionCount(def.id())).isEqualTo(1);
        assertThat(storage().workflows().listExecutions(def.id(), 0)).containsExactly(run);
    }
}
