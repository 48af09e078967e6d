package io.prodigy.storage.s3;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.support.revision.Revisions;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Definitions as generation chains under {@code <prefix>workflows/<id>/def/}; executions as plain objects
 * {@code <prefix>workflows/<id>/exec/<execution>}, overwritten by an upsert (last writer wins, which is what
 * "record or update by id" means). One LIST of {@code workflows/} gives both the definitions and the number of
 * executions of each, so {@link #list} is not N+1 in requests.
 *
 * <p>Not atomic: {@link #delete} (a tombstone, then the executions deleted) against a concurrent
 * {@link #recordExecution} (a read of the definition, then a PUT): an execution recorded in between survives the
 * delete as an orphan that a later definition with the same id would count. docs/s3.md gives the window.
 */
final class S3WorkflowStorage implements WorkflowStorage {

    static final String KIND = "workflow";
    private final Backend b;
    private final Records<WorkflowDefinition> definitions;
    private final FenceCheck fences;

    S3WorkflowStorage(Backend backend, FenceCheck fences) {
        this.b = backend;
        this.definitions = new Records<>(backend, fences, WorkflowDefinition.class);
        this.fences = fences;
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        Arguments.record("Workflow definition", definition);
        return definitions.save(b.layout.workflow(definition.id()), KIND + " '" + definition.id() + "'", fence,
                current -> Revisions.workflow(definition, current, b.now()));
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        Ids.check("workflow id", id);
        return Optional.ofNullable(definitions.load(b.layout.workflow(id)));
    }

    /**
     * One LIST of {@code workflows/} gives the definitions and each one's execution count (its keys under
     * {@code exec/}); the page is cut in memory (O(n), docs/s3.md).
     */
    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        Orders.WORKFLOW_DEFINITIONS.position(page);
        String root = b.layout.workflows();
        List<Records.Stored<WorkflowDefinition>> defs = new ArrayList<>();
        Map<String, Long> counts = new HashMap<>();
        // One listing serves both: definition generations go to the records, execution keys are counted.
        for (Records.Stored<WorkflowDefinition> s : definitions.all(root, key -> {
            String base = Layout.baseOf(key);
            if (base != null && base.endsWith("/exec/")) {
                counts.merge(base, 1L, Long::sum);
                return null;
            }
            return base;
        })) {
            defs.add(s);
        }
        return Orders.WORKFLOW_DEFINITIONS.page(defs.stream().map(Records.Stored::value).filter(f::matches).toList(),
                page, w -> Optional.of(new WorkflowInfo(w.id(), w.name(), w.version(), w.createdAt(), w.updatedAt(),
                        counts.getOrDefault(b.layout.executions(w.id()), 0L), w.revision())));
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("workflow id", id);
        boolean existed = definitions.delete(b.layout.workflow(id), KIND + " '" + id + "'", fence);
        List<String> runs = b.store.listAll(b.layout.executions(id)).objects().stream()
                .map(ObjectStore.Listed::key).toList();
        if (!runs.isEmpty()) {
            b.store.deleteAll(runs);
        }
        return existed;
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
        if (execution == null) {
            throw new InvalidInputException("Workflow execution is missing: pass the execution to record.");
        }
        b.ensureOpen();
        fences.check(fence, "execution '" + execution.id() + "' of workflow '" + execution.workflowId() + "'");
        if (definitions.load(b.layout.workflow(execution.workflowId())) == null) {
            throw new NotFoundException(KIND, execution.workflowId());
        }
        b.store.put(b.layout.execution(execution.workflowId(), execution.id()), Envelope.Codec.write(execution),
                Map.of());
        return execution;
    }

    /** One LIST of the workflow's executions, one GET per execution not cached; the page is cut in memory. */
    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        Ids.check("workflow id", workflowId);
        var keyset = Orders.executionsOf(workflowId);
        keyset.position(page);
        b.ensureOpen();
        return keyset.page(b.store.listAll(b.layout.executions(workflowId)).objects().stream()
                .map(o -> b.object(o, WorkflowExecution.class))
                .filter(Objects::nonNull)
                .toList(), page);
    }

    @Override
    public long executionCount(String workflowId) {
        Ids.check("workflow id", workflowId);
        b.ensureOpen();
        return b.store.listAll(b.layout.executions(workflowId)).objects().size();
    }
}
