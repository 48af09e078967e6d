package io.prodigy.storage.lock;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.page.Pages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Leased locks with fencing tokens.
 *
 * <p><b>Exclusion.</b> At most one live lease exists per key at any instant of the store's clock. A lease is live
 * from its grant until {@code expiresAt}; after that any caller may take the key over. A backend may also end a lease
 * early when it knows the holder is gone (the file backend: a dead process on the same host).
 * <p><b>Fencing.</b> Every grant of a key, including takeovers, carries a fencing token strictly greater than every
 * token granted before for that key; tokens are never reused, whatever happens in between (release, expiry,
 * {@link #forceRelease}, and restarts of a store that declares {@link io.prodigy.storage.Capability#DURABLE}). A
 * {@link Fence} lets a write through only while its token is the key's current one: a superseded token (a later grant
 * exists), a revoked token (its lease was force-released) and a token that was never granted are rejected with
 * {@link FencingException}. A released lease's token stays current until the next grant.
 * <p><b>Ownership.</b> Only the holder (the lease's {@code holder} id and token) can extend or release; a stale lease
 * gets {@link LockNotHeldException}. {@link #forceRelease} is for operators and breaks any lease.
 * <p><b>Time.</b> Expiry is decided on the store's clock: a database's {@code now()}, or
 * {@link io.prodigy.storage.StorageContext#clock()} for backends with {@link io.prodigy.storage.Capability#CLIENT_CLOCK}.
 * A lease's {@code acquiredAt}/{@code expiresAt} are on that clock; its {@link LockLease#localDeadlineNanos()} is the
 * holder's conservative deadline on {@link System#nanoTime()}.
 * <p><b>Arguments.</b> A missing or invalid key, a TTL shorter than {@link #minimumTtl()}, a missing or negative wait
 * and a missing lease are rejected with {@link InvalidInputException} before anything changes.
 * <p>Backends implement {@link io.prodigy.storage.support.lease.LeaseStore} and use
 * {@link io.prodigy.storage.support.lease.LeaseLockService}, which writes these rules once.
 */
public interface LockService {

    /** The default {@link #minimumTtl()}: shorter leases cannot be extended reliably even in memory. */
    Duration MIN_TTL = Duration.ofMillis(10);

    /**
     * The shortest TTL this backend accepts, {@link #MIN_TTL} unless it says otherwise: a networked backend's is many
     * round trips long, so that a holder can extend before its lease lapses.
     */
    default Duration minimumTtl() {
        return MIN_TTL;
    }

    /**
     * Takes the lock if it is free or its lease has lapsed. One atomic step: the grant and its token are decided
     * together, on the store's clock.
     *
     * @return the new lease, or empty if another live lease holds the key
     * @throws InvalidInputException if the key is invalid or {@code ttl} is shorter than {@link #minimumTtl()}
     */
    Optional<LockLease> tryAcquire(String key, Duration ttl);

    /**
     * Takes the lock, waiting up to {@code maxWait} (measured on {@link System#nanoTime()}) for it to become free.
     * Waiting polls the store with back-off and wakes early on a release in this process.
     *
     * @param maxWait zero to try once; never negative
     * @throws LockTimeoutException  naming the current holder if the wait ran out (or the thread was interrupted)
     * @throws InvalidInputException for an invalid key or TTL, or a missing or negative {@code maxWait}
     */
    LockLease acquire(String key, Duration ttl, Duration maxWait);

    /**
     * Extends a live lease to {@code ttl} from now (store clock); the fencing token is unchanged. Atomic: the lease
     * is checked (same holder and token, not lapsed, not force-released) and extended in one step.
     *
     * @return the extended lease, with a new local deadline
     * @throws LockNotHeldException if the lease lapsed, was taken over, released or broken, or never existed
     */
    LockLease extend(LockLease lease, Duration ttl);

    /**
     * Releases a lease. Its token stays the key's current one (fences with it pass) until the next grant.
     *
     * @throws LockNotHeldException if the lease is not the key's recorded holder (a lapsed lease that nobody took
     *                              over is released quietly; a taken-over, released or force-released one is not)
     */
    void release(LockLease lease);

    /** The live lease for {@code key}, if any. */
    Optional<LockLease> current(String key);

    /**
     * One page of the live leases, ordered by key as UTF-8 bytes (what PostgreSQL {@code COLLATE "C"}, Redis and S3
     * order by). Keyset-paged: a walk sees every lease that stays live throughout it exactly once.
     *
     * @throws InvalidInputException for a missing request or a cursor that no page of locks returned
     */
    Page<LockLease> list(PageRequest request);

    /** All live leases, ordered as {@link #list(PageRequest)}: walks every page. */
    default List<LockLease> list() {
        return Pages.all(0, this::list);
    }

    /**
     * Breaks the lease of {@code key}, whoever holds it, and revokes its token at once: from this call on, the broken
     * holder's extend and release fail with {@link LockNotHeldException} and its fenced writes with
     * {@link FencingException}. The next grant gets a higher token. Idempotent.
     *
     * @return the lease that was broken, if it was live
     */
    Optional<LockLease> forceRelease(String key);
}
