package io.prodigy.storage.core.layer.intercept;

import static io.prodigy.storage.core.layer.intercept.InterceptingStorage.call;

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

final class InterceptingWorkflows implements WorkflowStorage {

    private final WorkflowStorage delegate;
    private final InterceptorChain chain;

    InterceptingWorkflows(WorkflowStorage delegate, InterceptorChain chain) {
        this.delegate = delegate;
        this.chain = chain;
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        return call(chain, Operation.WORKFLOWS_SAVE, () -> delegate.save(definition, fence));
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        return call(chain, Operation.WORKFLOWS_LOAD, () -> delegate.load(id));
    }

    @Override
    public Page<WorkflowInfo> list(WorkflowFilter filter, PageRequest page) {
        return call(chain, Operation.WORKFLOWS_LIST, () -> delegate.list(filter, page));
    }

    @Override
    public boolean delete(String id, Fence fence) {
        return call(chain, Operation.WORKFLOWS_DELETE, () -> delegate.delete(id, fence));
    }

    @Override
    public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
        return call(chain, Operation.WORKFLOWS_RECORD_EXECUTION, () -> delegate.recordExecution(execution, fence));
    }

    @Override
    public Page<WorkflowExecution> listExecutions(String workflowId, PageRequest page) {
        return call(chain, Operation.WORKFLOWS_LIST_EXECUTIONS, () -> delegate.listExecutions(workflowId, page));
    }

    @Override
    public long executionCount(String workflowId) {
        return call(chain, Operation.WORKFLOWS_EXECUTION_COUNT, () -> delegate.executionCount(workflowId));
    }
}
