package io.prodigy.storage.lock;

import io.prodigy.storage.id.Ids;
import io.prodigy.storage.support.InstantRange;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A granted lock. A lease is a value: it identifies one acquisition; the live state lives in the store.
 *
 * @param key          the lock key
 * @param holder       unique per acquisition (not per host or process): only this holder may extend or release
 * @param owner        who took it, for humans (for example {@code pid 4711 on build-7}); never used for checks
 * @param acquiredAt   when it was granted (store time)
 * @param ttl          time to live from {@code acquiredAt}, or from the last extension
 * @param expiresAt    when the lease lapses unless extended
 * @param fencingToken strictly increasing per key across all holders, takeovers and restarts
 */
public record LockLease(
        String key, String holder, String owner, Instant acquiredAt, Duration ttl, Instant expiresAt,
        long fencingToken) {

    public LockLease {
        Ids.check("lock key", key);
        Objects.requireNonNull(holder, "holder");
        acquiredAt = InstantRange.normalize(Objects.requireNonNull(acquiredAt, "acquiredAt"));
        Objects.requireNonNull(ttl, "ttl");
        expiresAt = InstantRange.normalize(Objects.requireNonNull(expiresAt, "expiresAt"));
        owner = owner == null ? "" : owner;
        if (fencingToken <= 0) {
            throw new IllegalArgumentException("fencing token must be positive");
        }
    }

    /** The fence to present with writes guarded by this lease. */
    public Fence fence() {
        return new Fence(key, fencingToken);
    }

    /** Whether the lease has lapsed at {@code now}. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
