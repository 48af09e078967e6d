package io.prodigy.storage.core.layer.intercept;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.support.StoreSet;
import io.prodigy.storage.support.WrappingStorage;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one set of delegating store wrappers: every SPI call of every store goes through an {@link InterceptorChain}
 * with its {@link Operation}, then to the wrapped storage. Health, capabilities and close pass straight through (the
 * health layer reports on the chain instead; see {@code LayeredStorage}).
 */
public final class InterceptingStorage extends WrappingStorage {

    private final InterceptorChain chain;

    public InterceptingStorage(UnifiedStorage delegate, InterceptorChain chain) {
        super(delegate, new StoreSet(
                new InterceptingSessions(delegate.sessions(), chain),
                new InterceptingEvents(delegate.events(), chain),
                new InterceptingCheckpoints(delegate.checkpoints(), chain),
                new InterceptingDlq(delegate.dlq(), chain),
                new InterceptingWorkflows(delegate.workflows(), chain),
                new InterceptingLocks(delegate.locks(), chain)));
        this.chain = Objects.requireNonNull(chain, "chain");
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
    public void flush() {
        run(chain, Operation.STORAGE_FLUSH, delegate::flush);
    }

}
