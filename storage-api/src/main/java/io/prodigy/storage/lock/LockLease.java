package io.prodigy.storage.lock;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.support.InstantRange;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A granted lock. A lease is a value: it identifies one acquisition; the live state lives in the store.
 *
 * <p><b>Two clocks.</b> {@code acquiredAt} and {@code expiresAt} are on the store's clock (a database's
 * {@code now()}, or the {@link io.prodigy.storage.StorageContext#clock()} for backends with
 * {@link io.prodigy.storage.Capability#CLIENT_CLOCK}); comparing them with this process's clock mixes clocks.
 * {@code localDeadlineNanos} is on this process's {@link System#nanoTime()}: the lock service takes a reading before
 * it sends the request and adds the TTL, so the local deadline is never later than the store's expiry (clock rates
 * being equal), whatever the round trip took. A holder that stops its guarded work by {@link #isLocallyExpired()}
 * stops before anyone else can be granted the key.
 *
 * <p>Equality ignores the local deadline: two readings of the same grant (one by its holder, one by
 * {@link LockService#current}) are the same lease. The local deadline is not serialized either: a
 * {@code nanoTime} reading means nothing to another process.
 *
 * @param key                the lock key
 * @param holder             unique per acquisition (not per host or process): only this holder may extend or
 *                           release
 * @param owner              who took it, for humans (for example {@code pid 4711 on build-7}); never used for checks
 * @param acquiredAt         when it was granted (store clock)
 * @param ttl                time to live from {@code acquiredAt}, or from the last extension
 * @param expiresAt          when the lease lapses unless extended (store clock)
 * @param fencingToken       strictly increasing per key across all holders, takeovers and restarts
 * @param localDeadlineNanos on {@link System#nanoTime()}: when this process must consider the lease lapsed
 */
public record LockLease(
        String key, String holder, String owner, Instant acquiredAt, Duration ttl, Instant expiresAt,
        long fencingToken, @JsonIgnore long localDeadlineNanos) {

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

    /**
     * A lease whose local deadline is measured from now: the time left on the store clock, counted from this call.
     * That is only conservative if the lease was read no earlier than {@code expiresAt - ttl}; lock services pass the
     * deadline measured before their request instead.
     */
    public LockLease(String key, String holder, String owner, Instant acquiredAt, Duration ttl, Instant expiresAt,
            long fencingToken) {
        this(key, holder, owner, acquiredAt, ttl, expiresAt, fencingToken, System.nanoTime() + saturatedNanos(ttl));
    }

    /** The fence to present with writes guarded by this lease. */
    public Fence fence() {
        return new Fence(key, fencingToken);
    }

    /** Whether the lease has lapsed at {@code now}, an instant on the store's clock. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether this process must consider the lease lapsed: its local deadline has passed on {@link System#nanoTime}. */
    public boolean isLocallyExpired() {
        return System.nanoTime() - localDeadlineNanos >= 0;
    }

    /** Time left until the local deadline, or {@link Duration#ZERO} once it passed. */
    public Duration localTimeLeft() {
        long left = localDeadlineNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** This lease with its local deadline set to {@code deadlineNanos} (a {@link System#nanoTime()} value). */
    public LockLease withLocalDeadline(long deadlineNanos) {
        return new LockLease(key, holder, owner, acquiredAt, ttl, expiresAt, fencingToken, deadlineNanos);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockLease l && key.equals(l.key) && holder.equals(l.holder) && owner.equals(l.owner)
                && acquiredAt.equals(l.acquiredAt) && ttl.equals(l.ttl) && expiresAt.equals(l.expiresAt)
                && fencingToken == l.fencingToken;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, holder, owner, acquiredAt, ttl, expiresAt, fencingToken);
    }

    @Override
    public String toString() {
        return "LockLease[key=" + key + ", holder=" + holder + ", owner=" + owner + ", acquiredAt=" + acquiredAt
                + ", ttl=" + ttl + ", expiresAt=" + expiresAt + ", fencingToken=" + fencingToken + "]";
    }

    /** {@code d} in nanoseconds, saturated instead of overflowing (a TTL of centuries is "never" here). */
    static long saturatedNanos(Duration d) {
        if (d == null) {
            return 0; // the canonical constructor rejects it with a clear message
        }
        try {
            return Math.max(0, d.toNanos());
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : Long.MAX_VALUE / 4;
        }
    }
}
