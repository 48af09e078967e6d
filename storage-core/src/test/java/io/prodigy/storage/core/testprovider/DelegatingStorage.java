package io.prodigy.storage.core.testprovider;

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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another backend's storage under a different backend type; counts closes and can be told to fail closing, so that
 * tests can watch the factory's clean-up.
 */
public final class DelegatingStorage implements UnifiedStorage {

    private final String backendType;
    private final UnifiedStorage inner;
    private final AtomicInteger closes = new AtomicInteger();
    private volatile RuntimeException closeFailure;

    public DelegatingStorage(String backendType, UnifiedStorage inner) {
        this.backendType = backendType;
        this.inner = inner;
    }

    /** Makes every {@link #close()} throw {@code failure} (after closing the inner store). */
    public DelegatingStorage failingOnClose(RuntimeException failure) {
        this.closeFailure = failure;
        return this;
    }

    public int closeCount() {
        return closes.get();
    }

    @Override
    public String backendType() {
        return backendType;
    }

    @Override
    public Set<Capability> capabilities() {
        return inner.capabilities();
    }

    @Override
    public Instant now() {
        return inner.now();
    }

    @Override
    public Limits limits() {
        return inner.limits();
    }

    @Override
    public SessionStorage sessions() {
        return inner.sessions();
    }

    @Override
    public EventStorage events() {
        return inner.events();
    }

    @Override
    public CheckpointStorage checkpoints() {
        return inner.checkpoints();
    }

    @Override
    public DlqStorage dlq() {
        return inner.dlq();
    }

    @Override
    public WorkflowStorage workflows() {
        return inner.workflows();
    }

    @Override
    public LockService locks() {
        return inner.locks();
    }

    /** The inner store's report under this store's backend type. */
    @Override
    public HealthReport health() {
        HealthReport r = inner.health();
        return new HealthReport(r.status(), backendType, r.message(), r.probeLatency(), r.details(), r.checkedAt());
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        inner.close();
        RuntimeException failure = closeFailure;
        if (failure != null) {
            throw failure;
        }
    }
}
