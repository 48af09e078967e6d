package io.prodigy.storage.support.lease;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.support.InstantRange;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One lock key's row, as a {@link LeaseStore} keeps it, and the pure transitions between rows. A row is created by the
 * key's first grant and never deleted, so its {@code token} is the key's high-water mark: every grant takes
 * {@code token + 1}, and release, expiry, force-release and restarts (for durable stores) leave it in place.
 *
 * <p>Instants are on the store's clock, truncated to {@link InstantRange#PRECISION} like every record's, so a row and
 * the {@link LockLease} made from it agree.
 *
 * <p>The row also answers whether a {@link Fence} may write ({@link #checkFence}): only the token of the key's last
 * grant, and only until that grant is force-released. A token that was never granted (above the high-water mark) and
 * a superseded one (below it) never pass.
 *
 * @param key        the lock key
 * @param token      the highest fencing token ever granted for the key (positive)
 * @param revoked    whether {@code token}'s lease was force-released: its holder can no longer extend, release or
 *                   write with its fence; the next grant clears it
 * @param holder     the last grant's holder id, or {@code null} once released or force-released
 * @param owner      who took the last grant, for humans
 * @param acquiredAt when the last grant was made (store clock); {@code null} only on a repaired row
 * @param ttl        the last grant's or extension's TTL; {@code null} only on a repaired row
 * @param expiresAt  when the last grant lapses (store clock); {@code null} only on a repaired row
 */
public record LeaseState(String key, long token, boolean revoked, String holder, String owner, Instant acquiredAt,
        Duration ttl, Instant expiresAt) {

    public LeaseState {
        Objects.requireNonNull(key, "key");
        if (token <= 0) {
            throw new IllegalArgumentException("fencing token must be positive, was " + token);
        }
        if (holder != null && (acquiredAt == null || ttl == null || expiresAt == null)) {
            throw new IllegalArgumentException("a held lease needs acquiredAt, ttl and expiresAt");
        }
        owner = owner == null ? "" : owner;
        acquiredAt = InstantRange.normalize(acquiredAt);
        expiresAt = InstantRange.normalize(expiresAt);
    }

    /**
     * The row of a grant: the first one of the key if {@code previous} is {@code null}, else a grant after
     * {@code previous} (which the caller has found free or lapsed) with the next token.
     *
     * @param now the store's time of the grant
     */
    public static LeaseState granted(LeaseState previous, LeaseGrant grant, Instant now) {
        long token = previous == null ? 1 : Math.addExact(previous.token, 1);
        return new LeaseState(grant.key(), token, false, grant.holder(), grant.owner(), now, grant.ttl(),
                now.plus(grant.ttl()));
    }

    /**
     * The row of a lock file (or other record) whose content was lost: released and revoked, with {@code token} as its
     * high-water mark, so the next grant is above it and no earlier holder's fence passes.
     */
    public static LeaseState repaired(String key, long token) {
        return new LeaseState(key, token, true, null, "", null, null, null);
    }

    /** Whether a holder (live or lapsed) is recorded: not released nor force-released since the last grant. */
    public boolean isHeld() {
        return holder != null;
    }

    /** Whether the last grant is held and has not lapsed at {@code now} (store clock). */
    public boolean isHeldAt(Instant now) {
        return holder != null && now.isBefore(expiresAt);
    }

    /** Whether {@code lease} is this row's grant and still held (live or lapsed): its holder may release it. */
    public boolean isHeldBy(LockLease lease) {
        return holder != null && holder.equals(lease.holder()) && token == lease.fencingToken();
    }

    /** This row's lease extended to {@code ttl} from {@code now}; same holder and token. */
    public LeaseState extended(Instant now, Duration newTtl) {
        return new LeaseState(key, token, false, holder, owner, acquiredAt, newTtl, now.plus(newTtl));
    }

    /** This row released by its holder: the token stays, and its fence stays valid until the next grant. */
    public LeaseState released() {
        return new LeaseState(key, token, revoked, null, owner, acquiredAt, ttl, expiresAt);
    }

    /** This row after a force-release: no holder, and the token revoked, so its holder is fenced out at once. */
    public LeaseState forceReleased() {
        return new LeaseState(key, token, true, null, owner, acquiredAt, ttl, expiresAt);
    }

    /**
     * The lease of this row, with the given local deadline.
     *
     * @throws IllegalStateException if the row holds no lease
     */
    public LockLease lease(long localDeadlineNanos) {
        if (holder == null) {
            throw new IllegalStateException("lock '" + key + "' is not held");
        }
        return new LockLease(key, holder, owner, acquiredAt, ttl, expiresAt, token, localDeadlineNanos);
    }

    /**
     * The fencing rule, for every backend: a write fenced by {@code fence} may go ahead only if {@code fence}'s token
     * is the key's last granted token ({@code row}'s) and that grant was not force-released. A backend runs it on the
     * row it read in the same atomic step as the write (a database reads the row {@code FOR SHARE} in the write's
     * transaction).
     *
     * @param row       the fence key's row, or {@code null} if the key was never granted
     * @param recordKey the record being written, for the message ({@code "session 's-1'"})
     * @throws FencingException naming why the token cannot write; {@link Fence#NONE} and {@code null} always pass
     */
    public static void checkFence(Fence fence, LeaseState row, String recordKey) {
        if (fence == null || fence.isNone()) {
            return;
        }
        long current = row == null ? 0 : row.token;
        if (fence.token() > current) {
            throw new FencingException(recordKey, fence.lockKey(), fence.token(), current, current == 0
                    ? "was never granted (the lock has never been granted)"
                    : "was never granted (the highest token granted is " + current + ")");
        }
        if (fence.token() < current) {
            throw new FencingException(recordKey, fence.lockKey(), fence.token(), current);
        }
        if (row.revoked) {
            throw new FencingException(recordKey, fence.lockKey(), fence.token(), current,
                    "was revoked when its lease was force-released");
        }
    }
}
