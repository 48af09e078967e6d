package io.prodigy.storage.support.lease;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.ChangeNotifier;
import io.prodigy.storage.support.Orders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lock service, written once for every backend over its {@link LeaseStore}: argument validation (one message per
 * rule on every backend), holder ids, the blocking acquire loop, conservative local deadlines, paging cursors, the
 * not-held and timeout messages, and the fence check that record stores call before fenced writes. A backend only
 * implements the store's atomic steps.
 *
 * <p><b>Waiting.</b> {@link #acquire} polls {@link LeaseStore#grant} with back-off from {@value #FIRST_POLL_MILLIS} ms
 * doubling to {@value #MAX_POLL_MILLIS} ms, and wakes at once when this service releases or breaks a lease (a lease
 * released by another process is noticed at the next poll; one that lapses needs no signal).
 *
 * <p><b>Local deadlines.</b> Every lease returned carries a {@link LockLease#localDeadlineNanos()}: for
 * {@link #tryAcquire}, {@link #acquire} and {@link #extend}, the {@link System#nanoTime()} read before the request was
 * sent plus the TTL; for {@link #current} and {@link #list}, the reading before the request plus the time the lease
 * had left at the store's {@link LeaseStore#now()} read after it; for a lease {@link #forceRelease} broke, the moment
 * before the request (it is over).
 *
 * <p>Thread-safe if the store is.
 */
public final class LeaseLockService implements LockService, FenceCheck {

    /** Longest TTL or wait accepted: beyond it, durations overflow the clocks' arithmetic. */
    static final Duration MAX_DURATION = Duration.ofDays(36_500);

    static final long FIRST_POLL_MILLIS = 5;
    static final long MAX_POLL_MILLIS = 100;


    private final LeaseStore store;
    private final String owner;
    private final ChangeNotifier releases = new ChangeNotifier();
    /**
     * Holder ids are this random prefix, drawn once, and a count of this service's grants: unique per acquisition by
     * construction, across processes by the prefix. A {@code UUID.randomUUID()} per grant (SecureRandom's lock and
     * SHA-1) was about 7 % of the client CPU of a PostgreSQL lock pair. A holder is shown in lock listings: it is
     * an identity, not a secret.
     */
    private final String holderPrefix = UUID.randomUUID() + "-";
    private final AtomicLong grants = new AtomicLong();

    /** A service whose grants name this process ({@link ThisProcess#describe()}) as their owner. */
    public LeaseLockService(LeaseStore store) {
        this(store, ThisProcess.describe());
    }

    /** @param owner who takes locks through this service, for humans; never used for checks */
    public LeaseLockService(LeaseStore store, String owner) {
        this.store = Objects.requireNonNull(store, "store");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** {@inheritDoc} This store's {@link LeaseStore#minimumTtl()}. */
    @Override
    public Duration minimumTtl() {
        return store.minimumTtl();
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        checkKey(key);
        checkTtl(key, ttl);
        return grant(key, ttl);
    }

    private Optional<LockLease> grant(String key, Duration ttl) {
        long start = System.nanoTime();
        return store.grant(new LeaseGrant(key, holderPrefix + grants.incrementAndGet(), owner, ttl))
                .map(row -> row.lease(start + ttl.toNanos()));
    }

    @Override
    public LockLease acquire(String key, Duration ttl, Duration maxWait) {
        checkKey(key);
        checkTtl(key, ttl);
        if (maxWait == null || maxWait.isNegative() || maxWait.compareTo(MAX_DURATION) > 0) {
            throw new InvalidInputException("Invalid wait " + maxWait + " for lock '" + key + "': pass Duration.ZERO"
                    + " to try once, or a positive duration of at most " + MAX_DURATION.toDays() + " days to wait.");
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        long pollMillis = FIRST_POLL_MILLIS;
        while (true) {
            long seen = releases.version();
            Optional<LockLease> lease = grant(key, ttl);
            if (lease.isPresent()) {
                return lease.get();
            }
            long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0) {
                throw new LockTimeoutException(key, maxWait, describeHolder(key));
            }
            try {
                releases.awaitChange(seen, Duration.ofNanos(Math.min(remainingNanos, pollMillis * 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockTimeoutException(key, maxWait, describeHolder(key) + " (interrupted while waiting)");
            }
            pollMillis = Math.min(MAX_POLL_MILLIS, pollMillis * 2);
        }
    }

    @Override
    public LockLease extend(LockLease lease, Duration ttl) {
        requireLease(lease);
        checkTtl(lease.key(), ttl);
        long start = System.nanoTime();
        return store.extend(lease, ttl).map(row -> row.lease(start + ttl.toNanos()))
                .orElseThrow(() -> new LockNotHeldException(lease.key(), whyNotHeld(lease, true)));
    }

    @Override
    public void release(LockLease lease) {
        requireLease(lease);
        if (!store.release(lease)) {
            throw new LockNotHeldException(lease.key(), whyNotHeld(lease, false));
        }
        releases.signal();
    }

    @Override
    public Optional<LockLease> current(String key) {
        checkKey(key);
        long start = System.nanoTime();
        Optional<LeaseState> row = store.current(key);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(observed(row.get(), start, store.now()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The cursor names the last key of the previous page; a lease granted meanwhile for a key after it appears in
     * a later page, and one that lapsed meanwhile does not.
     */
    @Override
    public Page<LockLease> list(PageRequest request) {
        if (request == null) {
            throw new InvalidInputException("Page request is missing: pass PageRequest.first(limit) for the first"
                    + " page of locks.");
        }
        String afterKey = Orders.LOCKS.position(request).map(position -> position.parts().get(0)).orElse(null);
        long start = System.nanoTime();
        List<LeaseState> rows = store.list(afterKey, request.limit() + 1);
        boolean more = rows.size() > request.limit();
        List<LeaseState> shown = more ? rows.subList(0, request.limit()) : rows;
        Instant now = shown.isEmpty() ? null : store.now();
        List<LockLease> leases = new ArrayList<>(shown.size());
        for (LeaseState row : shown) {
            leases.add(observed(row, start, now));
        }
        return new Page<>(leases, more
                ? Optional.of(Orders.LOCKS.cursor(PageKey.ofNames(shown.get(shown.size() - 1).key())))
                : Optional.empty());
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        checkKey(key);
        long start = System.nanoTime();
        Optional<LeaseState> broken = store.forceRelease(key);
        releases.signal();
        return broken.map(row -> row.lease(start));
    }

    /**
     * {@inheritDoc} Reads the fence key's row from the store and applies {@link LeaseState#checkFence}; call it where
     * the store's read and the caller's write are one atomic step.
     */
    @Override
    public void check(Fence fence, String recordKey) {
        if (fence == null || fence.isNone()) {
            return;
        }
        LeaseState.checkFence(fence, store.read(fence.lockKey()).orElse(null), recordKey);
    }

    /** A lease read by someone who may not hold it: its local deadline is what it had left at the store. */
    private static LockLease observed(LeaseState row, long start, Instant storeNow) {
        Duration left = Duration.between(storeNow, row.expiresAt());
        long leftNanos = left.isNegative() ? 0 : left.compareTo(MAX_DURATION) > 0 ? MAX_DURATION.toNanos()
                : left.toNanos();
        return row.lease(start + leftNanos);
    }

    private String whyNotHeld(LockLease lease, boolean extending) {
        LeaseState row;
        try {
            row = store.read(lease.key()).orElse(null);
        } catch (RuntimeException e) {
            return "its state could not be read (" + e.getMessage() + ")";
        }
        if (row == null) {
            return "no lease was ever granted for it";
        }
        if (row.token() > lease.fencingToken()) {
            return "it was granted again since (now fencing token " + row.token()
                    + (row.isHeld() ? ", held by " + row.owner() : "") + ")";
        }
        if (row.token() < lease.fencingToken()) {
            return "fencing token " + lease.fencingToken() + " was never granted for it (the highest is "
                    + row.token() + ")";
        }
        if (row.revoked()) {
            return "it was force-released, so fencing token " + row.token() + " is revoked";
        }
        if (!row.isHeld()) {
            return "it was already released";
        }
        if (!row.holder().equals(lease.holder())) {
            return "it is held under another holder id";
        }
        return extending ? "it expired at " + row.expiresAt() + "; an expired lease cannot be extended"
                : "it is no longer held";
    }

    private String describeHolder(String key) {
        try {
            return store.read(key).filter(LeaseState::isHeld)
                    .map(r -> "'" + r.owner() + "' (holder " + r.holder() + ", fencing token " + r.token()
                            + ", lease expires at " + r.expiresAt() + ")")
                    .orElse("another holder (it was released just now)");
        } catch (RuntimeException e) {
            return "an unknown holder (" + e.getMessage() + ")";
        }
    }

    private static void checkKey(String key) {
        Ids.check("lock key", key);
    }

    private void checkTtl(String key, Duration ttl) {
        Duration min = store.minimumTtl();
        if (ttl == null || ttl.compareTo(min) < 0 || ttl.compareTo(MAX_DURATION) > 0) {
            throw new InvalidInputException("Invalid TTL " + ttl + " for lock '" + key + "': it must be at least "
                    + min + " (this backend's minimum, so the lease can be extended before it lapses) and at most "
                    + MAX_DURATION.toDays() + " days.");
        }
    }

    private static void requireLease(LockLease lease) {
        if (lease == null) {
            throw new InvalidInputException("Lease is missing: pass the lease returned by acquire or tryAcquire.");
        }
    }

}
