package io.prodigy.storage.tck.fault;

import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

final class FaultyLocks implements LockService {

    private final LockService delegate;
    private final FaultEngine engine;

    FaultyLocks(LockService delegate, FaultEngine engine) {
        this.delegate = delegate;
        this.engine = engine;
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        return engine.invoke("locks.tryAcquire", () -> delegate.tryAcquire(key, ttl), key, ttl);
    }

    @Override
    public LockLease acquire(String key, Duration ttl, Duration maxWait) {
        return engine.invoke("locks.acquire", () -> delegate.acquire(key, ttl, maxWait), key, ttl, maxWait);
    }

    @Override
    public LockLease extend(LockLease lease, Duration ttl) {
        return engine.invoke("locks.extend", () -> delegate.extend(lease, ttl), lease, ttl);
    }

    @Override
    public void release(LockLease lease) {
        engine.run("locks.release", () -> delegate.release(lease), lease);
    }

    @Override
    public Optional<LockLease> current(String key) {
        return engine.invoke("locks.current", () -> delegate.current(key), key);
    }

    @Override
    public List<LockLease> list() {
        return engine.invoke("locks.list", () -> delegate.list());
    }

    @Override
    public Page<LockLease> list(PageRequest request) {
        return engine.invoke("locks.list", () -> delegate.list(request), request);
    }

    @Override
    public Duration minimumTtl() {
        return delegate.minimumTtl();
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        return engine.invoke("locks.forceRelease", () -> delegate.forceRelease(key), key);
    }
}
