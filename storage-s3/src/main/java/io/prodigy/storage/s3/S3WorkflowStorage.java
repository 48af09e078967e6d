package io.prodigy.storage.s3;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
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
    private static final Comparator<WorkflowDefinition> BY_CREATION = Comparator
            .comparing(WorkflowDefinition::createdAt).thenComparing(WorkflowDefinition::id, Utf8Order.COMPARATOR);
    private static final Comparator<WorkflowExecution> BY_START = Comparator
            .comparing(WorkflowExecution::startedAt).thenComparing(WorkflowExecution::id, Utf8Order.COMPARATOR);

    private final Backend b;
    private final Records<WorkflowDefinition> definitions;

    S3WorkflowStorage(Backend backend, S3LeaseStore leases) {
        this.b = backend;
        this.definitions = new Records<>(backend, leases, KIND, WorkflowDefinition.class,
                WorkflowDefinition::revision);
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        if (definition == null) {
            throw new InvalidInputException("Workflow definition is missing: pass the definition to save.");
        }
        return definitions.save(b.layout.workflow(definition.id()), definition.id(), definition.revision(), fence,
                revision -> definition.stored(revision, b.now()));
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        Ids.check("workflow id", id);
        return Optional.ofNullable(definitions.load(b.layout.workflow(id)));
    }

    @Override
    public List<WorkflowInfo> list(WorkflowFilter filter) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
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
        return defs.stream()
                .map(Records.Stored::value)
                .filter(f::matches)
                .sorted(BY_CREATION)
                .limit(f.limit() == 0 ? Long.MAX_VALUE : f.limit())
                .map(w -> new WorkflowInfo(w.id(), w.name(), w.version(), w.createdAt(), w.updatedAt(),
                        counts.getOrDefault(b.layout.executions(w.id()), 0L), w.revision()))
                .toList();
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Ids.check("workflow id", id);
        boolean existed = definitions.delete(b.layout.workflow(id), id, fence);
        List<String> runs = b.store.listAll(b.layout.executions(id)).objects().stream()
                .map(ObjectStore.Listed::key).toList();
        if (!runs.isEmpty()) {
            b.store.deleteAll(runs);
        }
        return existed;
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution) {
        if (execution == null) {
            throw new InvalidInputException("Workflow execution is missing: pass the execution to record.");
        }
        if (definitions.load(b.layout.workflow(execution.workflowId())) == null) {
            throw new NotFoundException(KIND, execution.workflowId());
        }
        b.store.put(b.layout.execution(execution.workflowId(), execution.id()), Envelope.Codec.write(execution),
                Map.of());
        return execution;
    }

    @Override
    public List<WorkflowExecution> listExecutions(String workflowId, int limit) {
        Ids.check("workflow id", workflowId);
        if (limit < 0) {
            throw new InvalidInputException("Invalid limit " + limit + " for executions of workflow '" + workflowId
                    + "': pass 0 for all, or a positive number.");
        }
        b.ensureOpen();
        return b.store.listAll(b.layout.executions(workflowId)).objects().stream()
                .map(o -> b.object(o, WorkflowExecution.class))
                .filter(Objects::nonNull)
                .sorted(BY_START)
                .limit(limit == 0 ? Long.MAX_VALUE : limit)
                .toList();
    }

    @Override
    public long executionCount(String workflowId) {
        Ids.check("workflow id", workflowId);
        b.ensureOpen();
        return b.store.listAll(b.layout.executions(workflowId)).objects().size();
    }
}
