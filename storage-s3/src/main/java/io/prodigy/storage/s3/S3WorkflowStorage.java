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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Definitions as generation chains under {@code <prefix>workflows/<id>/def/}; executions as plain objects
 * {@code <prefix>workflows/<id>/exec/<execution>}, overwritten by an upsert (last writer wins, which is what
 * "record or update by id" means). Both listings walk an order index ({@link OrderIndex}: definitions by creation
 * time, each workflow's executions by start time), so a page reads only its items; a page of workflows adds one LIST
 * per workflow for its execution count.
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
    private final OrderIndex<WorkflowDefinition> byCreation;

    S3WorkflowStorage(Backend backend, FenceCheck fences) {
        this.b = backend;
        this.fences = fences;
        this.byCreation = new OrderIndex<>(backend, Orders.WORKFLOW_DEFINITIONS, true,
                key -> Optional.ofNullable(definitions().stored(b.layout.workflow(key.parts().get(0))))
                        .map(Records.Stored::value));
        this.definitions = new Records<>(backend, fences, WorkflowDefinition.class,
                (before, after) -> byCreation.prepare(before, after, List.of(b.layout.workflowIndex())));
    }

    private Records<WorkflowDefinition> definitions() {
        return definitions;
    }

    /** The executions index of one workflow: its keyset binds cursors to the workflow. */
    private OrderIndex<WorkflowExecution> executions(String workflowId) {
        return new OrderIndex<>(b, Orders.executionsOf(workflowId), true, key -> Optional.ofNullable(
                b.fetch(b.layout.execution(workflowId, key.parts().get(0)), WorkflowExecution.class)));
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
     * Walks the definitions' order index from the cursor (bounded by the filter's times), reads the definitions of
     * the page, and counts each one's executions (one LIST per 1,000); name, tag and author filters are evaluated on
     * the definitions read (docs/s3.md, "Paging").
     */
    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        Orders.WORKFLOW_DEFINITIONS.position(page);
        b.ensureOpen();
        Page<WorkflowDefinition> defs = byCreation.page(b.layout.workflowIndex(), page, f.after(), f.before(),
                f::matches);
        return defs.map(w -> new WorkflowInfo(w.id(), w.name(), w.version(), w.createdAt(), w.updatedAt(),
                executionCount(w.id()), w.revision()));
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("workflow id", id);
        boolean existed = definitions.delete(b.layout.workflow(id), KIND + " '" + id + "'", fence);
        List<String> runs = new ArrayList<>();
        b.store.listAll(b.layout.executions(id)).objects().forEach(o -> runs.add(o.key()));
        b.store.listAll(b.layout.executionIndex(id)).objects().forEach(o -> runs.add(o.key()));
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
        // The order-index entry goes first (a fresh one each time: an entry is never re-put, so a listing that
        // deletes a stale one never deletes this one), then the execution; a pause longer than half the grace period
        // between them puts the entry again (OrderIndex).
        OrderIndex<WorkflowExecution> index = executions(execution.workflowId());
        byte[] body = Envelope.Codec.write(execution);
        long putAt;
        do {
            putAt = System.nanoTime();
            index.prepare(null, execution, List.of(b.layout.executionIndex(execution.workflowId())));
        } while (!OrderIndex.fresh(putAt, b.config.compactionGrace()));
        b.store.put(b.layout.execution(execution.workflowId(), execution.id()), body, Map.of());
        return execution;
    }

    /** Walks the workflow's executions index from the cursor and reads the executions of the page. */
    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        Ids.check("workflow id", workflowId);
        Orders.executionsOf(workflowId).position(page);
        b.ensureOpen();
        return executions(workflowId).page(b.layout.executionIndex(workflowId), page, null, null, e -> true);
    }

    @Override
    public long executionCount(String workflowId) {
        Ids.check("workflow id", workflowId);
        b.ensureOpen();
        return b.store.listAll(b.layout.executions(workflowId)).objects().size();
    }
}
