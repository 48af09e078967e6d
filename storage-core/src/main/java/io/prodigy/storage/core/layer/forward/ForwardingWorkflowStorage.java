package io.prodigy.storage.core.layer.forward;

import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowFilter;
import io.prodigy.storage.workflow.WorkflowInfo;
import io.prodigy.storage.workflow.WorkflowStorage;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Forwards every call; subclasses override what they change. */
public abstract class ForwardingWorkflowStorage implements WorkflowStorage {

    private final WorkflowStorage delegate;

    protected ForwardingWorkflowStorage(WorkflowStorage delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final WorkflowStorage delegate() {
        return delegate;
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        return delegate.save(definition, fence);
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        return delegate.load(id);
    }

    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        return delegate.list(filter, page);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        return delegate.delete(id, fence);
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
        return delegate.recordExecution(execution, fence);
    }

    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        return delegate.listExecutions(workflowId, page);
    }

    @Override
    public long executionCount(String workflowId) {
        return delegate.executionCount(workflowId);
    }
}
