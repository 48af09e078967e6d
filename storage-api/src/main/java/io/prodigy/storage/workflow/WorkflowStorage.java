package io.prodigy.storage.workflow;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.lock.Fence;
import java.util.List;
import java.util.Optional;

/**
 * Workflow definitions and their executions.
 *
 * <p><b>Concurrency.</b> Definitions are optimistic, as sessions are: revision 0 creates, a positive revision updates
 * only if it matches, and a save that finds its own write already stored returns it. Executions are upserted by
 * {@code (workflowId, id)}.
 * <p><b>Fencing.</b> {@link #save}, {@link #delete} and {@link #recordExecution} accept a {@link Fence}; a stale one
 * fails with {@link FencingException} and changes nothing.
 * <p><b>Ordering.</b> {@link #list} orders by {@code createdAt}, then id; {@link #listExecutions} by
 * {@code startedAt}, then id.
 */
public interface WorkflowStorage {

    /**
     * @return the stored copy with its new revision
     * @throws VersionConflictException on a duplicate create or a stale revision
     * @throws FencingException         if {@code fence} is stale
     */
    WorkflowDefinition save(WorkflowDefinition definition, Fence fence);

    default WorkflowDefinition save(WorkflowDefinition definition) {
        return save(definition, Fence.NONE);
    }

    Optional<WorkflowDefinition> load(String id);

    List<WorkflowInfo> list(WorkflowFilter filter);

    /**
     * Deletes the definition and its executions.
     *
     * @return {@code true} if it existed
     */
    boolean delete(String id, Fence fence);

    default boolean delete(String id) {
        return delete(id, Fence.NONE);
    }

    /**
     * Records an execution, or replaces the one of the same workflow with the same id (an upsert, so a retry stores
     * it once). Atomic with the check that the workflow exists.
     *
     * @throws NotFoundException if the workflow is not stored
     * @throws FencingException  if {@code fence} is stale (nothing is recorded)
     */
    WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence);

    /** {@link #recordExecution(WorkflowExecution, Fence)} without fencing. */
    default WorkflowExecution recordExecution(WorkflowExecution execution) {
        return recordExecution(execution, Fence.NONE);
    }

    /** Executions of one workflow, oldest first; {@code limit} 0 means all. */
    List<WorkflowExecution> listExecutions(String workflowId, int limit);

    long executionCount(String workflowId);
}
