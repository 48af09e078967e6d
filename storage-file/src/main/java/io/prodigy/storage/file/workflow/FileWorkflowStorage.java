package io.prodigy.storage.file.workflow;

import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.RecordIndex;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.support.revision.Revisions;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Workflow definitions in {@code workflows/{id}.json} and their executions in
 * {@code workflow_executions/{workflow_id}/{execution_id}.json}. All writes hold the guard of {@code workflows/}, so
 * recording an execution and deleting its workflow cannot interleave.
 *
 * <p>Listings filter and sort summaries kept in a {@link RecordIndex} (definitions without their content, whole
 * executions), so a page reads only files that changed since the last listing. A listed definition's execution count
 * is the number of files in its executions directory: one directory read per listed definition, no record read.
 */
public final class FileWorkflowStorage implements WorkflowStorage {

    private static final String KIND = "workflow";
    private static final String EXEC_KIND = "workflow execution";

    private final StoreContext ctx;
    private final StorageLayout layout;
    private final FenceCheck fences;
    private final RecordIndex<WorkflowDefinition> definitions = new RecordIndex<>(file ->
            JsonFiles.readOrSkip(file, WorkflowDefinition.class, KIND).map(d -> d.withContent(EMPTY)));
    private final RecordIndex<WorkflowExecution> executions = new RecordIndex<>(file ->
            JsonFiles.readOrSkip(file, WorkflowExecution.class, EXEC_KIND));

    private static final com.fasterxml.jackson.databind.JsonNode EMPTY = Json.nodes().objectNode();
    private static final Keyset<RecordIndex.Indexed<WorkflowDefinition>> DEFINITIONS_BY_SUMMARY =
            Orders.WORKFLOW_DEFINITIONS.by(i -> Orders.WORKFLOW_DEFINITIONS.keyOf(i.summary()));

    public FileWorkflowStorage(StoreContext ctx, FenceCheck fences) {
        this.ctx = ctx;
        this.layout = ctx.layout();
        this.fences = fences;
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        Arguments.record("Workflow definition", definition);
        Path file = layout.workflowFile(definition.id());
        return ctx.guarded(layout.workflowsDir(), "saving workflow '" + definition.id() + "'", () -> {
            fences.check(fence, "workflow '" + definition.id() + "'");
            WorkflowDefinition current = JsonFiles.readInCheckedDir(file, WorkflowDefinition.class, KIND).orElse(null);
            Revisions.Saved<WorkflowDefinition> saved = Revisions.workflow(definition, current, ctx.now());
            if (!saved.alreadyStored()) {
                JsonFiles.writeInCheckedDir(file, saved.record(), KIND);
            }
            return saved.record();
        });
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        ctx.checkOpen();
        return JsonFiles.read(layout.workflowFile(id), WorkflowDefinition.class, KIND);
    }

    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        WorkflowFilter f = filter == null ? WorkflowFilter.ALL : filter;
        DEFINITIONS_BY_SUMMARY.position(page);
        ctx.checkOpen();
        List<RecordIndex.Indexed<WorkflowDefinition>> matching = definitions.scan(layout.workflowsDir(), ".json")
                .stream().filter(i -> f.matches(i.summary())).toList();
        return DEFINITIONS_BY_SUMMARY.page(matching, page, i -> {
            WorkflowDefinition d = i.summary();
            return Optional.of(new WorkflowInfo(d.id(), d.name(), d.version(), d.createdAt(), d.updatedAt(),
                    executionCount(d.id()), d.revision()));
        });
    }

    @Override
    public boolean delete(String id, Fence fence) {
        Path file = layout.workflowFile(id);
        return ctx.guarded(layout.workflowsDir(), "deleting workflow '" + id + "'", () -> {
            fences.check(fence, "workflow '" + id + "'");
            boolean existed = JsonFiles.delete(file, KIND);
            Path execs = layout.executionsDir(id);
            boolean removed = false;
            for (Path e : JsonFiles.list(execs, ".json")) {
                removed |= Files.deleteIfExists(e);
            }
            if (removed) { // a directory whose entries did not change needs no fsync
                AtomicFiles.fsyncDirectory(execs);
            }
            return existed;
        });
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
        Objects.requireNonNull(execution, "execution");
        Path file = layout.executionFile(execution.workflowId(), execution.id());
        return ctx.guarded(layout.workflowsDir(), "recording execution '" + execution.id() + "'", () -> {
            fences.check(fence, "execution '" + execution.id() + "' of workflow '" + execution.workflowId() + "'");
            if (!Files.exists(layout.workflowFile(execution.workflowId()))) {
                throw new NotFoundException(KIND, execution.workflowId());
            }
            JsonFiles.ensureDirectory(file.getParent());
            JsonFiles.write(file, execution, EXEC_KIND);
            return execution;
        });
    }

    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        Path dir = layout.executionsDir(workflowId);
        var keyset = Orders.executionsOf(workflowId);
        keyset.position(page);
        ctx.checkOpen();
        return keyset.page(executions.scan(dir, ".json").stream().map(RecordIndex.Indexed::summary).toList(), page);
    }

    @Override
    public long executionCount(String workflowId) {
        ctx.checkOpen();
        return JsonFiles.list(layout.executionsDir(workflowId), ".json").size();
    }
}
