package io.prodigy.storage.core.layer.locking;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.core.layer.forward.ForwardingCheckpointStorage;
import io.prodigy.storage.core.layer.forward.ForwardingDlqStorage;
import io.prodigy.storage.core.layer.forward.ForwardingEventStorage;
import io.prodigy.storage.core.layer.forward.ForwardingSessionStorage;
import io.prodigy.storage.core.layer.forward.ForwardingStorage;
import io.prodigy.storage.core.layer.forward.ForwardingWorkflowStorage;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.PersistedSession;
import io.prodigy.storage.session.SessionState;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowDefinition;
import io.prodigy.storage.workflow.WorkflowExecution;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code enable_locking: false}: {@link #locks()} grants every lock at once (see {@link NoOpLeaseStore}), and fences
 * presented with any write (sessions, events, checkpoints, DLQ, workflows) are dropped before they reach the backend.
 *
 * <p>Why drop the fences: the no-op leases' tokens were never granted by the backend's lock service, which may have
 * granted the same key a higher token earlier (while locking was on), so the backend would reject writes guarded by
 * them as stale. With locking off there is no exclusion to protect, so the writes go through unfenced.
 */
public final class LockingDisabledStorage extends ForwardingStorage {

    private final LockService locks;
    private final SessionStorage sessions;
    private final EventStorage events;
    private final CheckpointStorage checkpoints;
    private final DlqStorage dlq;
    private final WorkflowStorage workflows;

    public LockingDisabledStorage(UnifiedStorage delegate, Clock clock) {
        super(delegate);
        this.locks = NoOpLeaseStore.service(clock, delegate.backendType());
        this.sessions = new ForwardingSessionStorage(delegate.sessions()) {
            @Override
            public PersistedSession save(PersistedSession session, Fence fence) {
                return delegate().save(session, Fence.NONE);
            }

            @Override
            public boolean delete(String id, Fence fence) {
                return delegate().delete(id, Fence.NONE);
            }

            @Override
            public PersistedSession updateState(String id, SessionState state, Fence fence) {
                return delegate().updateState(id, state, Fence.NONE);
            }
        };
        this.events = new ForwardingEventStorage(delegate.events()) {
            @Override
            public AppendResult append(JobRef job, List<NewEvent> batch, Fence fence) {
                return delegate().append(job, batch, Fence.NONE);
            }

            @Override
            public long purge(JobRef job, Instant olderThan, Fence fence) {
                return delegate().purge(job, olderThan, Fence.NONE);
            }

            @Override
            public long deleteJob(JobRef job, Fence fence) {
                return delegate().deleteJob(job, Fence.NONE);
            }
        };
        this.dlq = new ForwardingDlqStorage(delegate.dlq()) {
            @Override
            public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
                return delegate().add(job, failure, Fence.NONE);
            }

            @Override
            public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
                return delegate().claim(job, worker, maxItems, lease, Fence.NONE);
            }

            @Override
            public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
                return delegate().remove(job, itemId, claimToken, Fence.NONE);
            }

            @Override
            public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
                return delegate().release(job, itemId, claimToken, error, Fence.NONE);
            }

            @Override
            public long purge(JobRef job, Fence fence) {
                return delegate().purge(job, Fence.NONE);
            }
        };
        this.checkpoints = new ForwardingCheckpointStorage(delegate.checkpoints()) {
            @Override
            public Checkpoint save(Checkpoint checkpoint, Fence fence) {
                return delegate().save(checkpoint, Fence.NONE);
            }

            @Override
            public boolean delete(CheckpointScope scope, String id, Fence fence) {
                return delegate().delete(scope, id, Fence.NONE);
            }

            @Override
            public int prune(CheckpointScope scope, int keep, Fence fence) {
                return delegate().prune(scope, keep, Fence.NONE);
            }
        };
        this.workflows = new ForwardingWorkflowStorage(delegate.workflows()) {
            @Override
            public WorkflowDefinition save(WorkflowDefinition definition, Fence fence) {
                return delegate().save(definition, Fence.NONE);
            }

            @Override
            public boolean delete(String id, Fence fence) {
                return delegate().delete(id, Fence.NONE);
            }

            @Override
            public WorkflowExecution recordExecution(WorkflowExecution execution, Fence fence) {
                return delegate().recordExecution(execution, Fence.NONE);
            }
        };
    }

    @Override
    public LockService locks() {
        return locks;
    }

    @Override
    public SessionStorage sessions() {
        return sessions;
    }

    @Override
    public EventStorage events() {
        return events;
    }

    @Override
    public DlqStorage dlq() {
        return dlq;
    }

    @Override
    public CheckpointStorage checkpoints() {
        return checkpoints;
    }

    @Override
    public WorkflowStorage workflows() {
        return workflows;
    }
}
