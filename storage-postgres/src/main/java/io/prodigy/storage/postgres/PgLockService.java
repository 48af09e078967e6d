package io.prodigy.storage.postgres;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.support.ChangeNotifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The lock service over {@link LeaseTable}: argument checks, the messages of refusals, and the blocking acquire loop
 * (poll with backoff; a release in this process wakes waiters at once). Each operation's atomic step is one statement
 * in the lease table.
 */
final class PgLockService implements LockService {

    private static final long MAX_BACKOFF_MILLIS = 100;

    private final LeaseTable table;
    private final String owner;
    private final ChangeNotifier releases = new ChangeNotifier();

    /** @param owner who takes locks through this store, for humans (for example {@code pid 4711 on build-7}) */
    PgLockService(LeaseTable table, String owner) {
        this.table = table;
        this.owner = owner;
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        checkKey(key);
        checkTtl(key, ttl);
        return table.grant(key, ttl, owner);
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
        long backoffMillis = 1;
        while (true) {
            long seen = releases.version();
            Optional<LockLease> lease = table.grant(key, ttl, owner);
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
        return table.extend(lease, ttl).orElseThrow(() -> notHeld(lease, true));
    }

    @Override
    public void release(LockLease lease) {
        requireLease(lease);
        if (!table.release(lease)) {
            throw notHeld(lease, false);
        }
        releases.signal();
    }

    @Override
    public Optional<LockLease> current(String key) {
        checkKey(key);
        return table.read(key).filter(LeaseTable.Row::live).map(LeaseTable.Row::lease);
    }

    @Override
    public List<LockLease> list() {
        return table.listLive();
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        checkKey(key);
        Optional<LockLease> broken = table.forceRelease(key);
        releases.signal();
        return broken;
    }

    /** Why {@code lease} is not (or no longer) the key's live lease. */
    private LockNotHeldException notHeld(LockLease lease, boolean extending) {
        Optional<LeaseTable.Row> row = table.read(lease.key());
        if (row.isEmpty()) {
            return new LockNotHeldException(lease.key(), extending ? "it was released, broken or never granted"
                    : "it was already released or broken");
        }
        LockLease live = row.get().lease();
        if (!live.holder().equals(lease.holder())) {
            return new LockNotHeldException(lease.key(), extending
                    ? "it was taken over (now fencing token " + live.fencingToken() + ")"
                    : "it expired and was taken over (now fencing token " + live.fencingToken() + ")");
        }
        return new LockNotHeldException(lease.key(), "it expired at " + live.expiresAt()
                + "; an expired lease cannot be extended");
    }

    private String describeHolder(String key) {
        return table.read(key).map(row -> "'" + row.lease().owner() + "' (holder " + row.lease().holder()
                        + ", fencing token " + row.lease().fencingToken() + ", lease expires at "
                        + row.lease().expiresAt() + ")")
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

    long liveCount() {
        return table.liveCount();
    }
}
