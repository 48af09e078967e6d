package io.prodigy.storage.support.lease;

import io.prodigy.storage.id.Ids;
import java.time.Duration;
import java.util.Objects;

/**
 * A request to grant a lock, as {@link LeaseLockService} hands it to {@link LeaseStore#grant}: already validated, so a
 * store never sees a bad key or TTL (ShedLock's {@code LockConfiguration}).
 *
 * @param key    the lock key
 * @param holder the new acquisition's id, unique per grant
 * @param owner  who asks, for humans ({@code pid 4711 on build-7})
 * @param ttl    positive; the service has checked it against the store's {@link LeaseStore#minimumTtl()}
 */
public record LeaseGrant(String key, String holder, String owner, Duration ttl) {

    public LeaseGrant {
        Ids.check("lock key", key);
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
    }
}
