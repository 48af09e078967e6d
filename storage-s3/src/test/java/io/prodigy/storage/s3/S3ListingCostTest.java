package io.prodigy.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A page of a listing costs a bounded number of requests, whatever the size of the store: pinned with the backend's
 * own request counter on a storage opened afresh (a cold cache, as another process would read) for a page of 50 from
 * the middle of each listing. Sessions are measured at 100 and at 2,000 records: the same requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ListingCostTest {

    private static final int PAGE = 50;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final String prefix = S3TestServer.namespace("S3ListingCostTest");
    private final StorageConfig cfg = S3TestServer.config(prefix);
    private S3Storage writer;
    private ExecutorService pool;

    @BeforeAll
    void open() {
        writer = open(cfg);
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    void close() {
        pool.shutdownNow();
        writer.close();
    }

    private static S3Storage open(StorageConfig cfg) {
        return S3Storage.open(S3StorageProvider.bind(cfg), cfg, StorageContext.withoutProject(), List.of());
    }

    /** Runs {@code write(i)} for i in [from, to), 8 at a time. */
    private void fill(int from, int to, IntConsumer write) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int n = i;
            done.add(pool.submit(() -> write.accept(n)));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    /**
     * The requests of the page after the first {@code PAGE} items, read by a storage opened afresh (the page before
     * it, which gives the cursor, is read first and not counted).
     */
    private <T> Map<String, Long> secondPage(Function<S3Storage, Function<PageRequest, Page<T>>> listing) {
        try (S3Storage reader = open(cfg)) {
            Function<PageRequest, Page<T>> list = listing.apply(reader);
            String cursor = list.apply(PageRequest.first(PAGE)).next().orElseThrow();
            try (S3Storage cold = open(cfg)) {
                Function<PageRequest, Page<T>> coldList = listing.apply(cold);
                Map<String, Long> before = cold.requestCounts();
                Page<T> page = coldList.apply(PageRequest.after(cursor, PAGE));
                assertThat(page.items()).hasSize(PAGE);
                Map<String, Long> out = new TreeMap<>();
                cold.requestCounts().forEach((op, n) -> {
                    long d = n - before.getOrDefault(op, 0L);
                    if (d > 0) {
                        out.put(op, d);
                    }
                });
                return out;
            }
        }
    }

    @Test
    void aSessionPageCostsTheSameAt100And2000Sessions() throws Exception {
        String worktree = "wt-" + UUID.randomUUID();
        IntConsumer save = i -> writer.sessions().save(PersistedSession.create(String.format("s-%05d", i),
                T0.plusSeconds(i)).withWorktreeName(worktree));
        Function<S3Storage, Function<PageRequest, Page<PersistedSession>>> listing =
                s -> r -> s.sessions().list(SessionFilter.ALL, r);
        fill(0, 100, save);
        Map<String, Long> small = secondPage(listing);
        fill(100, 2000, save);
        Map<String, Long> large = secondPage(listing);

        // One LIST of the order index, then per session of the page one LIST of its generations and one GET.
        Map<String, Long> expected = Map.of("ListObjectsV2", 1L + PAGE, "GetObject", (long) PAGE);
        assertThat(small).isEqualTo(expected);
        assertThat(large).isEqualTo(expected);
    }

    @Test
    void aCheckpointPageOfOneScopeReadsOnlyItsCheckpoints() throws Exception {
        CheckpointScope scope = CheckpointScope.job(JobRef.of("repo", "job-" + UUID.randomUUID()));
        fill(0, 150, i -> writer.checkpoints().save(Checkpoint.job(String.format("c-%05d", i), scope.job(),
                CheckpointKind.MAP, 1, T0.plusSeconds(i), 0, Json.nodes().objectNode().put("i", i))));

        assertThat(secondPage(s -> r -> s.checkpoints().list(CheckpointFilter.forScope(scope), r)))
                .isEqualTo(Map.of("ListObjectsV2", 1L + PAGE, "GetObject", (long) PAGE));
    }

    @Test
    void aWorkflowPageAddsOneListPerWorkflowForItsExecutionCount() throws Exception {
        fill(0, 150, i -> writer.workflows().save(new WorkflowDefinition(String.format("wf-%05d", i), "w", "1",
                T0.plusSeconds(i), null, null, null, 0)));

        assertThat(secondPage(s -> r -> s.workflows().list(WorkflowFilter.ALL, r)))
                .isEqualTo(Map.of("ListObjectsV2", 1L + 2L * PAGE, "GetObject", (long) PAGE));
    }

    @Test
    void anExecutionPageReadsOnlyItsExecutions() throws Exception {
        String workflow = "wf-" + UUID.randomUUID();
        writer.workflows().save(new WorkflowDefinition(workflow, "w", "1", T0, null, null, null, 0));
        fill(0, 150, i -> writer.workflows().recordExecution(new WorkflowExecution(String.format("e-%05d", i),
                workflow, T0.plusSeconds(i), null, ExecutionStatus.RUNNING, null)));

        // Executions are plain objects: one GET each, no LIST of generations.
        assertThat(secondPage(s -> r -> s.workflows().listExecutions(workflow, r)))
                .isEqualTo(Map.of("ListObjectsV2", 1L, "GetObject", (long) PAGE));
    }

    @Test
    void aDlqPageReadsOnlyItsItems() throws Exception {
        JobRef job = JobRef.of("repo", "job-" + UUID.randomUUID());
        fill(0, 150, i -> writer.dlq().add(job, DlqFailure.of(String.format("i-%05d", i), null, "boom")
                .withAt(T0.plusSeconds(i))));

        assertThat(secondPage(s -> r -> s.dlq().list(DlqFilter.forJob(job), r)))
                .isEqualTo(Map.of("ListObjectsV2", 1L + PAGE, "GetObject", (long) PAGE));
    }

    @Test
    void aLockPageReadsOnlyItsKeys() throws Exception {
        String base = "lock-" + UUID.randomUUID() + "-";
        fill(0, 150, i -> writer.locks().tryAcquire(String.format("%s%05d", base, i), Duration.ofMinutes(5))
                .orElseThrow());

        // One LIST of up to 1,000 generation objects, then the newest generation of each key of the page.
        Map<String, Long> cost = secondPage(s -> r -> s.locks().list(r));
        assertThat(cost.get("ListObjectsV2")).isEqualTo(1L);
        assertThat(cost.get("GetObject")).isBetween((long) PAGE, PAGE + 1L);
    }

    @Test
    void anEventJobPageReadsOnlyItsJobs() throws Exception {
        String repo = "repo-" + UUID.randomUUID();
        fill(0, 150, i -> writer.events().append(JobRef.of(repo, String.format("job-%05d", i)),
                List.of(new NewEvent(UUID.randomUUID().toString(), T0, "t", Json.nodes().objectNode(), null,
                        null))));

        // The job directories (one LIST with delimiter), then per job of the page its first segment: one LIST of
        // its segments, one GET.
        assertThat(secondPage(s -> r -> s.events().listJobs(repo, r)))
                .isEqualTo(Map.of("ListObjectsV2", 1L + PAGE, "GetObject", (long) PAGE));
    }

    @Test
    void aDlqJobPageReadsOnlyItsJobs() throws Exception {
        String repo = "repo-" + UUID.randomUUID();
        fill(0, 150, i -> writer.dlq().add(JobRef.of(repo, String.format("job-%05d", i)),
                DlqFailure.of("item", null, "boom")));

        // The job directories (one LIST with delimiter), then per job of the page its first item: one LIST, one GET.
        assertThat(secondPage(s -> r -> s.dlq().listJobs(repo, r)))
                .isEqualTo(Map.of("ListObjectsV2", 1L + PAGE, "GetObject", (long) PAGE));
    }
}
