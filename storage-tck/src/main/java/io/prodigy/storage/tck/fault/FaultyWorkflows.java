package io.prodigy.storage.tck.fault;

import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowStorage;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.util.List;
import java.util.Optional;

final class FaultyWorkflows implements WorkflowStorage {

    private final WorkflowStorage delegate;
    private final FaultEngine engine;

    FaultyWorkflows(WorkflowStorage delegate, FaultEngine engine) {
        this.delegate = delegate;
        this.engine = engine;
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        return engine.invoke("workflows.save", () -> delegate.save(definition, fence), definition, fence);
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        return engine.invoke("workflows.load", () -> delegate.load(id), id);
    }

    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        return engine.invoke("workflows.list", () -> delegate.list(filter, page), filter, page);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        return engine.invoke("workflows.delete", () -> delegate.delete(id, fence), id, fence);
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
        return engine.invoke("workflows.recordExecution", () -> delegate.recordExecution(execution, fence), execution,
                fence);
    }

    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        return engine.invoke("workflows.listExecutions", () -> delegate.listExecutions(workflowId, page),
                workflowId, page);
    }

    @Override
    public long executionCount(String workflowId) {
        return engine.invoke("workflows.executionCount", () -> delegate.executionCount(workflowId), workflowId);
    }
}
