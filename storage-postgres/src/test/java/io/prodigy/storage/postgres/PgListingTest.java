package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.workflow.ExecutionStatus;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The listings this backend pages in SQL, where the SQL order has to reproduce {@code Orders} exactly: checkpoints
 * whose times and ids tie across scopes (repositories {@code a} and {@code a-b}, whose scope keys sort the other way
 * round, and a workflow scope), and workflows with their execution counts.
 */
class PgListingTest {

    @RegisterExtension
    static final PgSchema PG = PgSchema.serverClock();

    private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123456Z");

    private UnifiedStorage storage;

    @BeforeEach
    void open() {
        storage = PG.open(StorageContext.system());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void checkpointPagesFollowTheSharedOrderWhenTimesAndIdsTieAcrossScopes() {
        List<CheckpointScope> scopes = List.of(CheckpointScope.workflow("wf-1"), CheckpointScope.job(JobRef.of("a-b",
                "x")), CheckpointScope.job(JobRef.of("a", "x-y")), CheckpointScope.job(JobRef.of("a", "x")),
                CheckpointScope.workflow("wf"));
        for (CheckpointScope scope : scopes) {
            for (String id : List.of("cp-2", "cp-1", "cp-1-b")) {
                save(scope, id, AT);
            }
            save(scope, "cp-0", AT.minusSeconds(1));
        }
        List<String> expected = sortedByTheSharedOrder(storage.checkpoints().list(CheckpointFilter.ALL,
                PageRequest.first(1_000)).items());
        assertThat(expected).hasSize(20);

        for (int size : new int[] {1, 2, 3, 7}) {
            assertThat(walk((f, r) -> storage.checkpoints().list(f, r), CheckpointFilter.ALL, size,
                    PgListingTest::where)).as("all checkpoints in pages of %d", size).isEqualTo(expected);
        }
        CheckpointFilter repoA = new CheckpointFilter(null, "a", null, null, null, 0);
        assertThat(walk((f, r) -> storage.checkpoints().list(f, r), repoA, 2, PgListingTest::where))
                .as("repository a in pages of 2")
                .isEqualTo(expected.stream().filter(s -> s.contains("@job:a/")).toList());
        CheckpointFilter oneScope = new CheckpointFilter(CheckpointScope.job(JobRef.of("a", "x")), null, null, null,
                null, 0);
        assertThat(walk((f, r) -> storage.checkpoints().list(f, r), oneScope, 1, PgListingTest::where))
                .containsExactly("cp-0@job:a/x", "cp-1@job:a/x", "cp-1-b@job:a/x", "cp-2@job:a/x");
    }

    @Test
    void workflowPagesCountEachWorkflowsExecutions() {
        Map<String, Integer> executions = new LinkedHashMap<>();
        executions.put("flow-none", 0);
        executions.put("flow-one", 1);
        executions.put("flow-five", 5);
        executions.put("flow-two", 2);
        int n = 0;
        for (Map.Entry<String, Integer> e : executions.entrySet()) {
            Instant created = AT.plusSeconds(n++);
            storage.workflows().save(new WorkflowDefinition(e.getKey(), "listing", "1", created, created,
                    Json.nodes().objectNode(), null, 0, null));
            for (int i = 0; i < e.getValue(); i++) {
                storage.workflows().recordExecution(new WorkflowExecution("run-" + i, e.getKey(),
                        created.plusMillis(i), created.plusMillis(i + 1), ExecutionStatus.COMPLETED,
                        Duration.ofMillis(1)));
            }
        }
        List<String> expected = executions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        for (int size : new int[] {1, 3, 10}) {
            assertThat(walk((f, r) -> storage.workflows().list(f, r), WorkflowFilter.ALL, size,
                    (WorkflowInfo w) -> w.id() + "=" + w.executionCount()))
                    .as("workflows in pages of %d", size).isEqualTo(expected);
        }
    }

    private void save(CheckpointScope scope, String id, Instant at) {
        Checkpoint cp = scope.isJob()
                ? Checkpoint.job(id, scope.job(), CheckpointKind.SETUP, 1, at, 0, Json.nodes().objectNode())
                : Checkpoint.workflow(id, scope.workflowId(), at, 0, List.of(), Map.of(), Json.nodes().objectNode());
        storage.checkpoints().save(cp);
    }

    private static String where(CheckpointInfo c) {
        return c.id() + "@" + (c.scope().isJob() ? "job:" + c.scope().job().repository() + "/"
                + c.scope().job().jobId() : "workflow:" + c.scope().workflowId());
    }

    private static List<String> sortedByTheSharedOrder(List<CheckpointInfo> all) {
        return all.stream().sorted(Orders.CHECKPOINTS.order()).map(PgListingTest::where).toList();
    }

    private static <F, T> List<String> walk(BiFunction<F, PageRequest, Page<T>> list, F filter, int size,
            java.util.function.Function<T, String> name) {
        List<String> walked = new ArrayList<>();
        PageRequest request = PageRequest.first(size);
        while (request != null) {
            Page<T> page = list.apply(filter, request);
            assertThat(page.items().size()).isLessThanOrEqualTo(size);
            page.items().forEach(item -> walked.add(name.apply(item)));
            request = page.next().map(request::withCursor).orElse(null);
        }
        return walked;
    }
}
