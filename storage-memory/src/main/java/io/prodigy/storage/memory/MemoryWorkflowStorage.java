package io.prodigy.storage.memory;

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
import java.util.Optional;

/**
 * Workflow definitions (optimistic and fenced, like sessions) and their executions (upserted by id), in memory behind
 * one read-write lock. Deleting a definition deletes its executions in the same step.
 */
final class MemoryWorkflowStorage implements WorkflowStorage {

    static final String KIND = "workflow";

    private final StoreState state;
    private final FenceCheck fences;
    private final StoreLock lock = new StoreLock();
    private final SizedMap<String, WorkflowDefinition> definitions;
    private final Map<String, SizedMap<String, WorkflowExecution>> executions = new HashMap<>();

    MemoryWorkflowStorage(StoreState state, FenceCheck fences) {
        this.state = state;
        this.fences = fences;
        this.definitions = new SizedMap<>(state.budget(), KIND);
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        Arguments.record("Workflow definition", definition);
        WorkflowDefinition copy = Copies.workflow(definition);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, KIND + " '" + copy.id() + "'");
            Revisions.Saved<WorkflowDefinition> saved =
                    Revisions.workflow(copy, definitions.get(copy.id()), state.now());
            if (!saved.alreadyStored()) {
                definitions.put(copy.id(), saved.record());
            }
            return Copies.workflow(saved.record());
        }));
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        Ids.check("workflow id", id);
        state.ensureOpen();
        return lock.read(() -> Optional.ofNullable(definitions.get(id)).map(Copies::workflow));
    }

    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        Orders.WORKFLOW_DEFINITIONS.position(page);
        state.ensureOpen();
        // The count is the size of the workflow's execution map: O(1) per listed definition.
        return lock.read(() -> Orders.WORKFLOW_DEFINITIONS.page(
                definitions.values().stream().filter(f::matches).toList(), page,
                w -> Optional.of(new WorkflowInfo(w.id(), w.name(), w.version(), w.createdAt(), w.updatedAt(),
                        executionsOf(w.id()), w.revision()))));
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("workflow id", id);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, KIND + " '" + id + "'");
            SizedMap<String, WorkflowExecution> runs = executions.remove(id);
            if (runs != null) {
                runs.clear();
            }
            return definitions.remove(id) != null;
        }));
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
        if (execution == null) {
            throw new InvalidInputException("Workflow execution is missing: pass the execution to record.");
        }
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, "execution '" + execution.id() + "' of workflow '" + execution.workflowId() + "'");
            if (!definitions.containsKey(execution.workflowId())) {
                throw new NotFoundException(KIND, execution.workflowId());
            }
            SizedMap<String, WorkflowExecution> runs = executions.computeIfAbsent(execution.workflowId(),
                    w -> new SizedMap<>(state.budget(), "workflow execution"));
            try {
                runs.put(execution.id(), execution);
            } finally {
                if (runs.isEmpty()) {
                    executions.remove(execution.workflowId(), runs);
                }
            }
            return execution;
        }));
    }

    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        Ids.check("workflow id", workflowId);
        var keyset = Orders.executionsOf(workflowId);
        keyset.position(page);
        state.ensureOpen();
        return lock.read(() -> {
            SizedMap<String, WorkflowExecution> runs = executions.get(workflowId);
            return keyset.page(runs == null ? List.of() : runs.values(), page);
        });
    }

    @Override
    public long executionCount(String workflowId) {
        Ids.check("workflow id", workflowId);
        state.ensureOpen();
        return lock.read(() -> executionsOf(workflowId));
    }

    /** Stored definitions and executions, for a snapshot. */
    Exported export() {
        return lock.read(() -> {
            List<WorkflowExecution> runs = new ArrayList<>();
            executions.values().forEach(r -> runs.addAll(r.values()));
            return new Exported(definitions.values(), runs);
        });
    }

    void restore(List<WorkflowDefinition> loadedDefinitions, List<WorkflowExecution> loadedExecutions) {
        lock.write(() -> {
            for (WorkflowDefinition w : loadedDefinitions) {
                if (definitions.containsKey(w.id())) {
                    throw new IllegalArgumentException("workflow '" + w.id() + "' occurs twice");
                }
                definitions.load(w.id(), w);
            }
            for (WorkflowExecution e : loadedExecutions) {
                if (!definitions.containsKey(e.workflowId())) {
                    throw new IllegalArgumentException("execution '" + e.id() + "' belongs to workflow '"
                            + e.workflowId() + "', which is not stored");
                }
                executions.computeIfAbsent(e.workflowId(), w -> new SizedMap<>(state.budget(), "workflow execution"))
                        .load(e.id(), e);
            }
        });
    }

    record Exported(List<WorkflowDefinition> definitions, List<WorkflowExecution> executions) {}

    private long executionsOf(String workflowId) {
        SizedMap<String, WorkflowExecution> runs = executions.get(workflowId);
        return runs == null ? 0 : runs.size();
    }
}
