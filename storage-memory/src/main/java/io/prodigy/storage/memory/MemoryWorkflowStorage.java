package io.prodigy.storage.memory;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.util.ArrayList;
import java.util.Comparator;
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
    private static final Comparator<WorkflowDefinition> BY_CREATION =
            Comparator.comparing(WorkflowDefinition::createdAt).thenComparing(WorkflowDefinition::id);
    private static final Comparator<WorkflowExecution> BY_START =
            Comparator.comparing(WorkflowExecution::startedAt).thenComparing(WorkflowExecution::id);

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
        if (definition == null) {
            throw new InvalidInputException("Workflow definition is missing: pass the definition to save.");
        }
        WorkflowDefinition copy = Copies.workflow(definition);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, copy.id());
            WorkflowDefinition existing = definitions.get(copy.id());
            long revision = Revisions.next(KIND, copy.id(), copy.revision(),
                    existing == null ? 0 : existing.revision());
            WorkflowDefinition stored = copy.stored(revision, state.now());
            definitions.put(stored.id(), stored);
            return Copies.workflow(stored);
        }));
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        Ids.check("workflow id", id);
        state.ensureOpen();
        return lock.read(() -> Optional.ofNullable(definitions.get(id)).map(Copies::workflow));
    }

    @Override
    public List<WorkflowInfo> list(WorkflowFilter filter) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        state.ensureOpen();
        return lock.read(() -> definitions.values().stream()
                .filter(f::matches)
                .sorted(BY_CREATION)
                .limit(f.limit() == 0 ? Long.MAX_VALUE : f.limit())
                .map(w -> new WorkflowInfo(w.id(), w.name(), w.version(), w.createdAt(), w.updatedAt(),
                        executionsOf(w.id()), w.revision()))
                .toList());
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("workflow id", id);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, id);
            SizedMap<String, WorkflowExecution> runs = executions.remove(id);
            if (runs != null) {
                runs.clear();
            }
            return definitions.remove(id) != null;
        }));
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution) {
        if (execution == null) {
            throw new InvalidInputException("Workflow execution is missing: pass the execution to record.");
        }
        return state.mutate(() -> lock.write(() -> {
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
    public List<WorkflowExecution> listExecutions(String workflowId, int limit) {
        Ids.check("workflow id", workflowId);
        if (limit < 0) {
            throw new InvalidInputException("Invalid limit " + limit + " for executions of workflow '" + workflowId
                    + "': pass 0 for all, or a positive number.");
        }
        state.ensureOpen();
        return lock.read(() -> {
            SizedMap<String, WorkflowExecution> runs = executions.get(workflowId);
            if (runs == null) {
                return List.<WorkflowExecution>of();
            }
            return runs.values().stream()
                    .sorted(BY_START)
                    .limit(limit == 0 ? Long.MAX_VALUE : limit)
                    .toList();
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
