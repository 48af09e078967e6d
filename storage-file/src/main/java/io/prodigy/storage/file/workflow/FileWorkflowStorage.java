package io.prodigy.storage.file.workflow;

import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.VersionConflictException;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowStorage;
import io.prodigy.storage.support.lease.FenceCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Workflow definitions in {@code workflows/{id}.json} and their executions in
 * {@code workflow_executions/{workflow_id}/{execution_id}.json}. All writes hold the guard of {@code workflows/}, so
 * recording an execution and deleting its workflow cannot interleave.
 */
public final class FileWorkflowStorage implements WorkflowStorage {

    private static final String KIND = "workflow";
    private static final String EXEC_KIND = "workflow execution";

    private final StoreContext ctx;
    private final StorageLayout layout;
    private final FenceCheck fences;

    public FileWorkflowStorage(StoreContext ctx, FenceCheck fences) {
        this.ctx = ctx;
        this.layout = ctx.layout();
        this.fences = fences;
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        Objects.requireNonNull(definition, "definition");
        Path file = layout.workflowFile(definition.id());
        return ctx.guarded(layout.workflowsDir(), "saving workflow '" + definition.id() + "'", () -> {
            fences.check(fence, "workflow '" + definition.id() + "'");
            long actual = JsonFiles.read(file, WorkflowDefinition.class, KIND).map(WorkflowDefinition::revision)
                    .orElse(0L);
            if (definition.revision() != actual) {
                throw new VersionConflictException(KIND, definition.id(), definition.revision(), actual);
            }
            WorkflowDefinition stored = definition.stored(actual + 1, ctx.now());
            JsonFiles.write(file, stored, KIND);
            return stored;
        });
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        ctx.checkOpen();
        return JsonFiles.read(layout.workflowFile(id), WorkflowDefinition.class, KIND);
    }

    @Override
    public List<WorkflowInfo> list(WorkflowFilter filter) {
        ctx.checkOpen();
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        List<WorkflowDefinition> defs = new ArrayList<>();
        for (Path file : JsonFiles.list(layout.workflowsDir(), ".json")) {
            JsonFiles.readOrSkip(file, WorkflowDefinition.class, KIND).filter(f::matches).ifPresent(defs::add);
        }
        defs.sort(Comparator.comparing(WorkflowDefinition::createdAt).thenComparing(WorkflowDefinition::id));
        if (f.limit() > 0 && defs.size() > f.limit()) {
            defs = defs.subList(0, f.limit());
        }
        List<WorkflowInfo> out = new ArrayList<>(defs.size());
        for (WorkflowDefinition d : defs) {
            out.add(new WorkflowInfo(d.id(), d.name(), d.version(), d.createdAt(), d.updatedAt(),
                    executionCount(d.id()), d.revision()));
        }
        return out;
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Path file = layout.workflowFile(id);
        return ctx.guarded(layout.workflowsDir(), "deleting workflow '" + id + "'", () -> {
            fences.check(fence, "workflow '" + id + "'");
            boolean existed = JsonFiles.delete(file, KIND);
            Path execs = layout.executionsDir(id);
            for (Path e : JsonFiles.list(execs, ".json")) {
                Files.deleteIfExists(e);
            }
            if (Files.isDirectory(execs)) {
                AtomicFiles.fsyncDirectory(execs);
            }
            return existed;
        });
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution) {
        Objects.requireNonNull(execution, "execution");
        Path file = layout.executionFile(execution.workflowId(), execution.id());
        return ctx.guarded(layout.workflowsDir(), "recording execution '" + execution.id() + "'", () -> {
            if (!Files.exists(layout.workflowFile(execution.workflowId()))) {
                throw new NotFoundException(KIND, execution.workflowId());
            }
            JsonFiles.ensureDirectory(file.getParent());
            JsonFiles.write(file, execution, EXEC_KIND);
            return execution;
        });
    }

    @Override
    public List<WorkflowExecution> listExecutions(String workflowId, int limit) {
        ctx.checkOpen();
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        List<WorkflowExecution> out = new ArrayList<>();
        for (Path file : JsonFiles.list(layout.executionsDir(workflowId), ".json")) {
            JsonFiles.readOrSkip(file, WorkflowExecution.class, EXEC_KIND).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(WorkflowExecution::startedAt).thenComparing(WorkflowExecution::id));
        return limit > 0 && out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    @Override
    public long executionCount(String workflowId) {
        ctx.checkOpen();
        return JsonFiles.list(layout.executionsDir(workflowId), ".json").size();
    }
}
