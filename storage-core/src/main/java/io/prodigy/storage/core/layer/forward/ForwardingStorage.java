package io.prodigy.storage.core.layer.forward;

import io.prodigy.storage.Capability;
import io.prodigy.storage.Limits;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link UnifiedStorage} that forwards everything to another one. Decorators that change a few stores extend it
 * and override only those accessors (and must keep returning the same instance on every call, as the SPI requires).
 */
public abstract class ForwardingStorage implements UnifiedStorage {

    private final UnifiedStorage delegate;

    protected ForwardingStorage(UnifiedStorage delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The storage calls are forwarded to. */
    protected final UnifiedStorage delegate() {
        return delegate;
    }

    @Override
    public String backendType() {
        return delegate.backendType();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Instant now() {
        return delegate.now();
    }

    @Override
    public Limits limits() {
        return delegate.limits();
    }

    @Override
    public SessionStorage sessions() {
        return delegate.sessions();
    }

    @Override
    public EventStorage events() {
        return delegate.events();
    }

    @Override
    public CheckpointStorage checkpoints() {
        return delegate.checkpoints();
    }

    @Override
    public DlqStorage dlq() {
        return delegate.dlq();
    }

    @Override
    public WorkflowStorage workflows() {
        return delegate.workflows();
    }

    @Override
    public LockService locks() {
        return delegate.locks();
    }

    @Override
    public HealthReport health() {
        return delegate.health();
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
