package io.prodigy.storage.lock;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Leased locks with fencing tokens.
 *
 * <p><b>Exclusion.</b> At most one live lease exists per key at any instant of the store's clock. A lease is live
 * from its grant until {@code expiresAt}; after that any caller may take the key over.
 * <p><b>Fencing.</b> Every grant of a key, including takeovers and grants after a restart of the store, carries a
 * fencing token strictly greater than every token granted before for that key. Stores that accept a {@link Fence}
 * reject writes from superseded holders.
 * <p><b>Ownership.</b> Only the holder (the lease's {@code holder} id) can extend or release; a stale lease gets
 * {@link LockNotHeldException}. {@link #forceRelease} is for operators and breaks any lease.
 * <p><b>Time.</b> Expiry uses the store's clock (see {@link io.prodigy.storage.StorageContext#clock()}).
 */
public interface LockService {

    /** Shortest TTL accepted; shorter leases cannot be extended reliably. */
    Duration MIN_TTL = Duration.ofMillis(10);

    /**
     * Takes the lock if it is free or its lease has expired.
     *
     * @return the new lease, or empty if another live lease holds the key
     * @throws InvalidInputException if the key is invalid or {@code ttl} is shorter than {@link #MIN_TTL}
     */
    Optional<LockLease> tryAcquire(String key, Duration ttl);

    /**
     * Takes the lock, waiting up to {@code maxWait} for it to become free. Waiting polls the store (with backoff) and
     * wakes early on a release in this process.
     *
     * @throws LockTimeoutException naming the current holder if the wait ran out
     */
    LockLease acquire(String key, Duration ttl, Duration maxWait);

    /**
     * Extends a live lease to {@code ttl} from now; the fencing token is unchanged.
     *
     * @return the extended lease
     * @throws LockNotHeldException if the lease expired and was taken over, was released, or never existed
     */
    LockLease extend(LockLease lease, Duration ttl);

    /**
     * Releases a lease.
     *
     * @throws LockNotHeldException if the lease is not the live lease for its key (an expired lease that nobody took
     *                              over is released quietly)
     */
    void release(LockLease lease);

    /** The live lease for {@code key}, if any. */
    Optional<LockLease> current(String key);

    /** All live leases, ordered by key. */
    List<LockLease> list();

    /**
     * Breaks the live lease for {@code key}, whoever holds it. The next grant gets a higher fencing token, so the
     * broken holder's writes are rejected.
     *
     * @return the lease that was broken, if there was one
     */
    Optional<LockLease> forceRelease(String key);
}
