package io.prodigy.storage.support.lease;

import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The part of a lock service a backend writes: one key's {@link LeaseState} row and a few atomic steps on it.
 * {@link LeaseLockService} writes the rest once (validation, holder ids, the blocking acquire loop with back-off,
 * error messages, paging cursors, the fence check), in the way ShedLock's {@code StorageBasedLockProvider} sits on a
 * {@code StorageAccessor}.
 *
 * <p><b>Each method is one atomic step</b> with respect to every other call on the same key, in any thread or process
 * that shares the store: a SQL backend does it in one statement (or one transaction) with the database's time, Redis
 * in one script, memory under a monitor, the file backend under the lock directory's guard. Backends that can run a
 * read-modify-write of one row atomically extend {@link AtomicLeaseStore}, which writes the four mutating steps.
 *
 * <p><b>Liveness.</b> A lease is live while {@code now < expiresAt} on the store's clock ({@link #now()}); a backend
 * may also know a holder is gone (the file backend: a dead process on this host) and treat its lease as lapsed. The
 * same rule must hold in {@link #grant}, {@link #current}, {@link #list} and {@link #forceRelease}.
 *
 * <p><b>Tokens.</b> Rows are never deleted: the row's token is the key's high-water mark, and a grant takes the next
 * one. A durable store keeps rows across restarts; a store that could lose them must not declare
 * {@link io.prodigy.storage.Capability#DURABLE}.
 */
public interface LeaseStore {

    /** Lock keys in the order every listing uses: {@link Ids#BYTE_ORDER}, by their UTF-8 bytes. */
    Comparator<String> KEY_ORDER = Ids.BYTE_ORDER;

    /**
     * The store's clock: the time expiry is decided on, the same as {@link io.prodigy.storage.UnifiedStorage#now()}
     * (rows normalize their instants to {@link io.prodigy.storage.support.InstantRange#PRECISION}).
     */
    Instant now();

    /** The shortest TTL this store can honour (a round trip must fit in it many times over). */
    default Duration minimumTtl() {
        return LockService.MIN_TTL;
    }

    /** The key's row as stored (live, lapsed, released or revoked), or empty if the key was never granted. */
    Optional<LeaseState> read(String key);

    /**
     * Grants the key if it has no live lease: the new row has the previous row's token plus one (1 for a first
     * grant), {@code acquiredAt = now}, {@code expiresAt = now + ttl}, and is not revoked.
     *
     * @return the new row, or empty if a live lease holds the key (nothing changed)
     */
    Optional<LeaseState> grant(LeaseGrant grant);

    /**
     * Extends {@code lease} to {@code ttl} from now if it is the key's live lease: same holder, same token, not
     * lapsed, not revoked.
     *
     * @return the extended row, or empty if the lease is not live (nothing changed)
     */
    Optional<LeaseState> extend(LockLease lease, Duration ttl);

    /**
     * Releases {@code lease} if it is still recorded as the key's holder (same holder and token; live, or lapsed
     * while nobody took the key over). The token stays, and stays valid for fences until the next grant.
     *
     * @return whether it was released (else nothing changed)
     */
    boolean release(LockLease lease);

    /**
     * Breaks whatever lease the key has and revokes its token ({@link LeaseState#forceReleased()}), so its holder's
     * extend, release and fenced writes fail from now on. Idempotent; a key never granted is left alone.
     *
     * @return the row as it was, if its lease was live (the lease that was broken)
     */
    Optional<LeaseState> forceRelease(String key);

    /** The key's row if its lease is live. */
    Optional<LeaseState> current(String key);

    /**
     * Rows with a live lease whose key is after {@code afterKey} in {@link #KEY_ORDER}, in that order.
     *
     * @param afterKey {@code null} to start at the first key
     * @param limit    at most this many rows (positive)
     */
    List<LeaseState> list(String afterKey, int limit);
}
