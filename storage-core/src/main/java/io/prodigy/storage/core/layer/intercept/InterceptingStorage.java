package io.prodigy.storage.core.layer.intercept;

import io.prodigy.storage.Capability;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.event.EventStorage;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.session.SessionStorage;
import io.prodigy.storage.workflow.WorkflowStorage;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one set of delegating store wrappers: every SPI call of every store goes through an {@link InterceptorChain}
 * with its {@link Operation}, then to the wrapped storage. Health, capabilities and close pass straight through (the
 * health layer reports on the chain instead; see {@code LayeredStorage}).
 */
public final class InterceptingStorage implements UnifiedStorage {

    private final UnifiedStorage delegate;
    private final InterceptorChain chain;
    private final SessionStorage sessions;
    private final EventStorage events;
    private final CheckpointStorage checkpoints;
    private final DlqStorage dlq;
    private final WorkflowStorage workflows;
    private final LockService locks;

    public InterceptingStorage(UnifiedStorage delegate, InterceptorChain chain) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.sessions = new InterceptingSessions(delegate.sessions(), chain);
        this.events = new InterceptingEvents(delegate.events(), chain);
        this.checkpoints = new InterceptingCheckpoints(delegate.checkpoints(), chain);
        this.dlq = new InterceptingDlq(delegate.dlq(), chain);
        this.workflows = new InterceptingWorkflows(delegate.workflows(), chain);
        this.locks = new InterceptingLocks(delegate.locks(), chain);
    }

    /** Runs {@code body} through the chain as {@code operation}. */
    static <T> T call(InterceptorChain chain, Operation operation, Supplier<T> body) {
        return chain.call(operation, Invocation.of(body));
    }

    static void run(InterceptorChain chain, Operation operation, Runnable body) {
        chain.call(operation, Invocation.of(() -> {
            body.run();
            return null;
        }));
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
    public SessionStorage sessions() {
        return sessions;
    }

    @Override
    public EventStorage events() {
        return events;
    }

    @Override
    public CheckpointStorage checkpoints() {
        return checkpoints;
    }

    @Override
    public DlqStorage dlq() {
        return dlq;
    }

    @Override
    public WorkflowStorage workflows() {
        return workflows;
    }

    @Override
    public LockService locks() {
        return locks;
    }

    @Override
    public HealthReport health() {
        return delegate.health();
    }

    @Override
    public void flush() {
        run(chain, Operation.STORAGE_FLUSH, delegate::flush);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
