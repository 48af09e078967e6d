package io.prodigy.storage.core.layer.intercept;

import static io.prodigy.storage.core.layer.intercept.InterceptingStorage.call;
import static io.prodigy.storage.core.layer.intercept.InterceptingStorage.run;

import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Locks through the chain; a blocking {@link #acquire} gets its {@code maxWait} on top of the timeout. */
final class InterceptingLocks implements LockService {

    private final LockService delegate;
    private final InterceptorChain chain;

    InterceptingLocks(LockService delegate, InterceptorChain chain) {
        this.delegate = delegate;
        this.chain = chain;
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        return call(chain, Operation.LOCKS_TRY_ACQUIRE, () -> delegate.tryAcquire(key, ttl));
    }

    @Override
    public LockLease acquire(String key, Duration ttl, Duration maxWait) {
        return chain.call(Operation.LOCKS_ACQUIRE,
                Invocation.waitingUpTo(maxWait, () -> delegate.acquire(key, ttl, maxWait)));
    }

    @Override
    public LockLease extend(LockLease lease, Duration ttl) {
        return call(chain, Operation.LOCKS_EXTEND, () -> delegate.extend(lease, ttl));
    }

    @Override
    public void release(LockLease lease) {
        run(chain, Operation.LOCKS_RELEASE, () -> delegate.release(lease));
    }

    @Override
    public Optional<LockLease> current(String key) {
        return call(chain, Operation.LOCKS_CURRENT, () -> delegate.current(key));
    }

    @Override
    public List<LockLease> list() {
        return call(chain, Operation.LOCKS_LIST, () -> delegate.list());
    }

    @Override
    public Page<LockLease> list(PageRequest request) {
        return call(chain, Operation.LOCKS_LIST, () -> delegate.list(request));
    }

    @Override
    public Duration minimumTtl() {
        return delegate.minimumTtl();
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        return call(chain, Operation.LOCKS_FORCE_RELEASE, () -> delegate.forceRelease(key));
    }
}
