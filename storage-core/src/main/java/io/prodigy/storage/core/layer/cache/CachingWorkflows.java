package io.prodigy.storage.core.layer.cache;

import io.prodigy.storage.core.layer.forward.ForwardingWorkflowStorage;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.util.Optional;

/**
 * Caches definitions read by {@link #load}; saves and deletes through it update or drop the entry. Executions and
 * listings are not cached (they change with every run).
 */
final class CachingWorkflows extends ForwardingWorkflowStorage {

    private final ReadCache cache;

    CachingWorkflows(WorkflowStorage delegate, ReadCache cache) {
        super(delegate);
        this.cache = cache;
    }

    @Override
    public Optional<WorkflowDefinition> load(String id) {
        return cache.read(new CacheKey.Workflow(id), WorkflowDefinition.class, RecordCopies::workflow,
                () -> delegate().load(id));
    }

    @Override
    public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
        return cache.write(new CacheKey.Workflow(definition.id()), () -> delegate().save(definition, fence),
                RecordCopies::workflow);
    }

    @Override
    public boolean delete(String id, Fence fence) {
        return cache.write(new CacheKey.Workflow(id), () -> delegate().delete(id, fence), null);
    }
}
