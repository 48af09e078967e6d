package io.prodigy.storage.support;

import io.prodigy.storage.Capability;
import io.prodigy.storage.Limits;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.health.HealthReport;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Base of a decorator that wraps every sub-store of another storage (interceptors, fault injection, …): the
 * subclass builds its wrapped stores once and passes them in; backend type, capabilities, health, flush and close
 * pass through to the delegate unless the subclass overrides them.
 */
public abstract class WrappingStorage extends BackendStorage {

    protected final UnifiedStorage delegate;

    protected WrappingStorage(UnifiedStorage delegate, StoreSet stores) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        useStores(stores);
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
