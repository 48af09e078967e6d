package io.prodigy.storage.workflow;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import io.prodigy.storage.support.Arguments;
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
 * {@code startedAt}, then id; ids compare by UTF-8 bytes ({@link io.prodigy.storage.support.Orders#WORKFLOWS},
 * {@link io.prodigy.storage.support.Orders#EXECUTIONS}).
 * <p><b>Execution counts.</b> {@link WorkflowInfo#executionCount()} and {@link #executionCount} come from a count the
 * backend keeps per workflow as executions are recorded and deleted, not from counting executions per listed
 * workflow: a page of definitions costs no query per definition.
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

    /**
     * One page of the summaries of matching definitions, oldest first ({@code createdAt}, then id), each with its
     * number of recorded executions.
     *
     * <p>Each page is read on its own: a definition that exists, matches and keeps its {@code createdAt} during the
     * whole walk is returned exactly once. The filter's {@code limit} does not apply here (the request's limit sizes
     * the page).
     *
     * @param filter what to list; {@code null} lists all
     * @throws InvalidInputException if {@code page} is missing or its cursor is not one of this listing's
     */
    Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page);

    /**
     * Summaries of matching definitions, oldest first, at most {@code filter.limit()} (0: all): a walk of
     * {@link #list(WorkflowFilter, PageRequest)}.
     */
    default List<WorkflowInfo> list(WorkflowFilter filter) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        return Pages.all(f.limit(), page -> list(f, page));
    }

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

    /**
     * One page of the executions of one workflow, oldest first ({@code startedAt}, then id). An execution recorded
     * during a walk with a later start than the page's last one is on a later page; the cursor belongs to this
     * workflow's listing only.
     *
     * @return an empty page if the workflow has no executions or is not stored
     * @throws InvalidInputException if the id is invalid, {@code page} is missing or its cursor is not one of this
     *                               workflow's executions listing
     */
    Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page);

    /**
     * Executions of one workflow, oldest first; {@code limit} 0 means all: a walk of
     * {@link #listExecutions(String, PageRequest)}.
     *
     * @throws InvalidInputException if the id is invalid or {@code limit} is negative
     */
    default List<WorkflowExecution> listExecutions(String workflowId, int limit) {
        Arguments.limitOrAll("executions of workflow '" + workflowId + "'", limit);
        return Pages.all(limit, page -> listExecutions(workflowId, page));
    }

    long executionCount(String workflowId);
}
