package io.prodigy.storage.s3;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.support.ChangeNotifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Leased locks over {@link S3LeaseStore}: argument checks and the blocking acquire loop (polling with backoff, woken
 * early by a release in this process). Every state change is one step of the lease store.
 */
final class S3LockService implements LockService {

    private static final long MAX_BACKOFF_MILLIS = 200;

    private final Backend b;
    private final S3LeaseStore leases;
    private final ChangeNotifier releases = new ChangeNotifier();

    S3LockService(Backend backend, S3LeaseStore leases) {
        this.b = backend;
        this.leases = leases;
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        checkKey(key);
        checkTtl(key, ttl);
        b.ensureOpen();
        return leases.grant(key, ttl);
    }

    @Override
    public LockLease acquire(String key, Duration ttl, Duration maxWait) {
        checkKey(key);
        checkTtl(key, ttl);
        if (maxWait == null || maxWait.isNegative()) {
            throw new InvalidInputException("Invalid wait " + maxWait + " for lock '" + key
                    + "': pass Duration.ZERO to try once, or a positive duration to wait.");
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        long backoffMillis = 5;
        while (true) {
            long seen = releases.version();
            Optional<LockLease> lease = tryAcquire(key, ttl);
            if (lease.isPresent()) {
                return lease.get();
            }
            long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0) {
                throw new LockTimeoutException(key, maxWait, describeHolder(key));
            }
            long waitMillis = Math.max(1, Math.min(backoffMillis, remainingNanos / 1_000_000));
            try {
                releases.awaitChange(seen, Duration.ofMillis(waitMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockTimeoutException(key, maxWait, describeHolder(key) + " (interrupted while waiting)");
            }
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        }
    }

    @Override
    public LockLease extend(LockLease lease, Duration ttl) {
        requireLease(lease);
        checkTtl(lease.key(), ttl);
        b.ensureOpen();
        return leases.extend(lease, ttl);
    }

    @Override
    public void release(LockLease lease) {
        requireLease(lease);
        b.ensureOpen();
        leases.release(lease);
        releases.signal();
    }

    @Override
    public Optional<LockLease> current(String key) {
        checkKey(key);
        b.ensureOpen();
        return leases.read(key).filter(s -> s.heldAt(b.now())).map(S3LeaseStore.LeaseState::lease);
    }

    @Override
    public List<LockLease> list() {
        b.ensureOpen();
        return leases.list();
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        checkKey(key);
        b.ensureOpen();
        Optional<LockLease> broken = leases.forceRelease(key);
        releases.signal();
        return broken;
    }

    private String describeHolder(String key) {
        return leases.read(key).filter(s -> s.heldAt(b.now()))
                .map(s -> "'" + s.owner() + "' (holder " + s.holder() + ", fencing token " + s.token()
                        + ", lease expires at " + s.expiresAt() + ")")
                .orElse("another holder (it was released just now)");
    }

    private static void checkKey(String key) {
        Ids.check("lock key", key);
    }

    private static void checkTtl(String key, Duration ttl) {
        if (ttl == null || ttl.compareTo(MIN_TTL) < 0) {
            throw new InvalidInputException("Invalid TTL " + ttl + " for lock '" + key + "': it must be at least "
                    + MIN_TTL.toMillis() + "ms, so the lease can be extended before it lapses.");
        }
    }

    private static void requireLease(LockLease lease) {
        if (lease == null) {
            throw new InvalidInputException("Lease is missing: pass the lease returned by acquire or tryAcquire.");
        }
    }
}
