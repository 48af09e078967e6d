package io.prodigy.storage.support;

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
 * Base of a decorator that wraps every sub-store of another storage (interceptors, fault injection, …): the
 * subclass builds its wrapped stores once and passes them in; backend type, capabilities, health, flush and close
 * pass through to the delegate unless the subclass overrides them.
 */
public abstract class WrappingStorage implements UnifiedStorage {

    protected final UnifiedStorage delegate;
    private final StoreSet stores;

    protected WrappingStorage(UnifiedStorage delegate, StoreSet stores) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.stores = Objects.requireNonNull(stores, "stores");
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
    public final SessionStorage sessions() {
        return stores.sessions();
    }

    @Override
    public final EventStorage events() {
        return stores.events();
    }

    @Override
    public final CheckpointStorage checkpoints() {
        return stores.checkpoints();
    }

    @Override
    public final DlqStorage dlq() {
        return stores.dlq();
    }

    @Override
    public final WorkflowStorage workflows() {
        return stores.workflows();
    }

    @Override
    public final LockService locks() {
        return stores.locks();
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
