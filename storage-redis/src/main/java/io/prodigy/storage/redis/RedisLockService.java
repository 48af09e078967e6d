package io.prodigy.storage.redis;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.support.ChangeNotifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Leased locks over {@link RedisLeaseStore}: argument checks and the blocking acquire loop (poll with backoff up to
 * 50 ms, woken early by releases in this process). Every rule that decides a grant, an extension or a release is one
 * script in the lease store.
 */
final class RedisLockService implements LockService {

    private static final long MAX_BACKOFF_MILLIS = 50;

    private final RedisLeaseStore store;
    private final String owner;
    private final ChangeNotifier releases = new ChangeNotifier();

    RedisLockService(RedisLeaseStore store, String owner) {
        this.store = store;
        this.owner = owner;
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        checkKey(key);
        checkTtl(key, ttl);
        Object outcome = store.grant(key, ttl, UUID.randomUUID().toString(), owner);
        return outcome instanceof LockLease lease ? Optional.of(lease) : Optional.empty();
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
            Object outcome = store.grant(key, ttl, UUID.randomUUID().toString(), owner);
            if (outcome instanceof LockLease lease) {
                return lease;
            }
            LockLease holder = ((RedisLeaseStore.Refusal) outcome).holder();
            long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0) {
                throw new LockTimeoutException(key, maxWait, describe(holder));
            }
            long waitMillis = Math.max(1, Math.min(backoffMillis, remainingNanos / 1_000_000));
            try {
                releases.awaitChange(seen, Duration.ofMillis(waitMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockTimeoutException(key, maxWait, describe(holder) + " (interrupted while waiting)");
            }
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        }
    }

    @Override
    public LockLease extend(LockLease lease, Duration ttl) {
        requireLease(lease);
        checkTtl(lease.key(), ttl);
        return store.extend(lease, ttl);
    }

    @Override
    public void release(LockLease lease) {
        requireLease(lease);
        store.release(lease);
        releases.signal();
    }

    @Override
    public Optional<LockLease> current(String key) {
        checkKey(key);
        return store.read(List.of(key)).stream().findFirst();
    }

    @Override
    public List<LockLease> list() {
        List<LockLease> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<String> page = store.heldKeys(after, IndexScan.PAGE);
            out.addAll(store.read(page));
            if (page.size() < IndexScan.PAGE) {
                return out;
            }
            after = page.get(page.size() - 1);
        }
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        checkKey(key);
        Optional<LockLease> broken = store.forceRelease(key);
        releases.signal();
        return broken;
    }

    private static String describe(LockLease live) {
        return "'" + live.owner() + "' (holder " + live.holder() + ", fencing token " + live.fencingToken()
                + ", lease expires at " + live.expiresAt() + ")";
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
