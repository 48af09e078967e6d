package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Concurrency across the whole storage (spec 093: "support for at least 10,000 concurrent operations"): 10,000
 * operations of ten kinds (appends, queries, session creates and state updates, checkpoint saves, DLQ failures and
 * claims, lock grants, workflow executions, reads) run on a thread pool against one storage, every one completes
 * without an error, and the end state accounts for every one of them. Then optimistic concurrency under contention:
 * concurrent read-modify-write loops on one session, checkpoint and workflow definition lose no update, and
 * concurrent creates of one id let exactly one win.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryConcurrencyContractTest extends ConcurrencyContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 * Override {@link #threads()} to change the pool size (default 16).
 */
public abstract class ConcurrencyContract extends StorageContractSupport {

    /** The number of operations of the mixed-load test; spec 093 asks for at least this many. */
    protected static final int OPERATIONS = 10_000;

    private static final int KINDS = 10;

    /** Operations of the mixed-load test; {@value #OPERATIONS} by default (spec 093's minimum). */
    protected int operations() {
        return OPERATIONS;
    }

    /** How long the mixed-load test may run before it counts as hung; raise it for a slow remote server. */
    protected Duration guard() {
        return Duration.ofMinutes(3);
    }

    /** Threads of the pool that runs the operations. */
    protected int threads() {
        return 16;
    }

    /** Runs {@code count} calls of {@code operation(i)} on the pool; returns every failure, none if all passed. */
    private List<Throwable> runConcurrently(int count, IntConsumer operation) throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    try {
                        start.await();
                        operation.accept(n);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    return null;
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + guard().toNanos();
            for (Future<?> f : futures) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return failures;
    }

    @Test
    void tenThousandMixedOperationsCompleteWithoutErrorAndAreAllAccountedFor() throws Exception {
        UnifiedStorage s = storage();
        List<JobRef> jobs = List.of(newJob(), newJob(), newJob(), newJob());
        Map<JobRef, AtomicInteger> appended = new ConcurrentHashMap<>();
        jobs.forEach(j -> appended.put(j, new AtomicInteger()));
        String worktree = uniqueId("wt");
        PersistedSession shared = s.sessions().save(PersistedSession.create(uniqueId("shared"), at(0))
                .withWorktreeName(uniqueId("wt")));
        CheckpointScope scope = CheckpointScope.workflow(uniqueId("workflow"));
        JobRef dlqJob = newJob();
        List<String> dlqItems = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            dlqItems.add(uniqueId("item"));
        }
        String lockKey = uniqueId("lock");
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger maxHolders = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        WorkflowDefinition workflow = s.workflows().save(new WorkflowDefinition(uniqueId("wf"), "load", "1", at(0),
                null, null, null, 0));
        SessionState[] states = SessionState.values();

        List<Throwable> failures = runConcurrently(operations(), i -> {
            // i % KINDS picks the kind; round (i / KINDS) spreads each kind over the jobs and DLQ items.
            int round = i / KINDS;
            JobRef job = jobs.get(round % jobs.size());
            switch (i % KINDS) {
                case 0 -> {
                    s.events().append(job, List.of(NewEvent.of("op_completed", Json.nodes().numberNode(i))));
                    appended.get(job).incrementAndGet();
                }
                case 1 -> {
                    try (Stream<EventRecord> events = s.events().query(EventFilter.forJob(job).withLimit(5))) {
                        assertThat(events.count()).isLessThanOrEqualTo(5);
                    }
                    assertThat(s.events().lastSequence(job)).isNotNegative();
                }
                case 2 -> s.sessions().save(PersistedSession.create(uniqueId("session"), at(i))
                        .withWorktreeName(worktree));
                case 3 -> s.sessions().updateState(shared.id(), states[i % states.length]);
                case 4 -> s.checkpoints().save(Checkpoint.workflow(uniqueId("cp"), scope.workflowId(), at(i), i,
                        List.of(), Map.of(), null));
                case 5 -> s.dlq().add(dlqJob, DlqFailure.of(dlqItems.get(round % dlqItems.size()), null, "e" + i));
                case 6 -> {
                    Optional<LockLease> lease = s.locks().tryAcquire(lockKey, Duration.ofMinutes(1));
                    if (lease.isPresent()) {
                        grants.incrementAndGet();
                        maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        holders.decrementAndGet();
                        s.locks().release(lease.get());
                    }
                }
                case 7 -> s.workflows().recordExecution(new WorkflowExecution(uniqueId("exec"), workflow.id(), at(i),
                        null, ExecutionStatus.RUNNING, null));
                case 8 -> {
                    assertThat(s.sessions().load(shared.id())).isPresent();
                    s.checkpoints().latest(scope);
                    s.dlq().stats(dlqJob);
                    s.workflows().executionCount(workflow.id());
                }
                case 9 -> {
                    for (DlqItem item : s.dlq().claim(dlqJob, "worker-" + i, 1, Duration.ofMinutes(5))) {
                        s.dlq().release(dlqJob, item.itemId(), item.claim().token(), null);
                    }
                }
                default -> throw new IllegalStateException("no operation kind " + (i % KINDS));
            }
        });

        assertThat(failures).as("operations that failed").isEmpty();
        int perKind = operations() / KINDS;
        for (JobRef job : jobs) {
            int n = appended.get(job).get();
            assertThat(s.events().lastSequence(job)).isEqualTo(n);
            try (Stream<EventRecord> events = s.events().query(EventFilter.forJob(job))) {
                assertThat(events.map(EventRecord::sequence).toList())
                        .isEqualTo(LongStream.rangeClosed(1, n).boxed().toList());
            }
        }
        assertThat(appended.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(perKind);
        assertThat(s.sessions().list(SessionFilter.ALL.withWorktreeName(worktree))).hasSize(perKind);
        assertThat(s.sessions().load(shared.id()).orElseThrow().revision()).isEqualTo(1 + perKind);
        assertThat(s.checkpoints().list(CheckpointFilter.forScope(scope))).hasSize(perKind);
        DlqStats dlq = s.dlq().stats(dlqJob);
        assertThat(dlq.totalItems()).isEqualTo(dlqItems.size());
        assertThat(Math.round(dlq.averageRetryCount() * dlq.totalItems()))
                .as("every failure after an item's first is counted as a retry")
                .isEqualTo(perKind - dlqItems.size());
        assertThat(dlq.claimedItems()).as("every claim was released").isZero();
        assertThat(maxHolders).as("lock holders at once").hasValue(1);
        assertThat(grants.get()).isPositive();
        assertThat(s.locks().current(lockKey)).isEmpty();
        assertThat(s.workflows().executionCount(workflow.id())).isEqualTo(perKind);
    }

    /** Runs {@code attempt} until it stops throwing {@link VersionConflictException}; returns the conflicts seen. */
    private static int retryOnConflict(Callable<?> attempt) throws Exception {
        int conflicts = 0;
        while (true) {
            try {
                attempt.call();
                return conflicts;
            } catch (VersionConflictException e) {
                conflicts++;
            }
        }
    }

    private static final int WRITERS = 6;
    private static final int INCREMENTS = 20;

    private void contend(Callable<?> increment) throws Exception {
        List<Throwable> failures = runConcurrently(WRITERS * INCREMENTS, i -> {
            try {
                retryOnConflict(increment);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(failures).isEmpty();
    }

    @Test
    void concurrentOptimisticSessionUpdatesLoseNoUpdate() throws Exception {
        var sessions = storage().sessions();
        PersistedSession created = sessions.save(PersistedSession.create(uniqueId("session"), at(0)));

        contend(() -> {
            PersistedSession current = sessions.load(created.id()).orElseThrow();
            return sessions.save(current.withProgress(current.iterationsCompleted() + 1, 0));
        });

        PersistedSession end = sessions.load(created.id()).orElseThrow();
        assertThat(end.iterationsCompleted()).isEqualTo(WRITERS * INCREMENTS);
        assertThat(end.revision()).isEqualTo(1 + WRITERS * INCREMENTS);
    }

    @Test
    void concurrentOptimisticCheckpointUpdatesLoseNoUpdate() throws Exception {
        var checkpoints = storage().checkpoints();
        CheckpointScope scope = CheckpointScope.workflow(uniqueId("workflow"));
        Checkpoint created = checkpoints.save(Checkpoint.workflow(uniqueId("cp"), scope.workflowId(), at(0), 0,
                List.of(), Map.of(), null));

        contend(() -> {
            Checkpoint current = checkpoints.load(scope, created.id()).orElseThrow();
            return checkpoints.save(current.withStepIndex(current.stepIndex() + 1));
        });

        Checkpoint end = checkpoints.load(scope, created.id()).orElseThrow();
        assertThat(end.stepIndex()).isEqualTo(WRITERS * INCREMENTS);
        assertThat(end.revision()).isEqualTo(1 + WRITERS * INCREMENTS);
    }

    @Test
    void concurrentOptimisticWorkflowUpdatesLoseNoUpdate() throws Exception {
        var workflows = storage().workflows();
        WorkflowDefinition created = workflows.save(new WorkflowDefinition(uniqueId("wf"), "counter", "1", at(0),
                null, Json.nodes().objectNode().put("n", 0), null, 0));

        contend(() -> {
            WorkflowDefinition current = workflows.load(created.id()).orElseThrow();
            int n = current.content().get("n").asInt();
            return workflows.save(current.withContent(Json.nodes().objectNode().put("n", n + 1)));
        });

        WorkflowDefinition end = workflows.load(created.id()).orElseThrow();
        assertThat(end.content().get("n").asInt()).isEqualTo(WRITERS * INCREMENTS);
        assertThat(end.revision()).isEqualTo(1 + WRITERS * INCREMENTS);
    }

    @Test
    void concurrentCreatesOfOneIdLetExactlyOneWin() throws Exception {
        UnifiedStorage s = storage();
        for (int round = 0; round < 20; round++) {
            String sessionId = uniqueId("session");
            String workflowId = uniqueId("wf");
            CheckpointScope scope = CheckpointScope.workflow(uniqueId("workflow"));
            String checkpointId = uniqueId("cp");
            List<Supplier<Object>> creates = List.of(
                    () -> s.sessions().save(PersistedSession.create(sessionId, at(0))),
                    () -> s.workflows().save(new WorkflowDefinition(workflowId, "w", "1", at(0), null, null, null,
                            0)),
                    () -> s.checkpoints().save(Checkpoint.workflow(checkpointId, scope.workflowId(), at(0), 0,
                            List.of(), Map.of(), null)));
            AtomicInteger wins = new AtomicInteger();
            AtomicInteger conflicts = new AtomicInteger();
            List<Throwable> failures = runConcurrently(creates.size() * 8, i -> {
                try {
                    creates.get(i % creates.size()).get();
                    wins.incrementAndGet();
                } catch (VersionConflictException e) {
                    conflicts.incrementAndGet();
                }
            });
            assertThat(failures).isEmpty();
            assertThat(wins).as("round %d: one create per record wins", round).hasValue(creates.size());
            assertThat(conflicts).hasValue(creates.size() * 7);
        }
    }
}
