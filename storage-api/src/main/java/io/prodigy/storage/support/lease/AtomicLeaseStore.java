package io.prodigy.storage.support.lease;

import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link LeaseStore} for backends that can run a read-modify-write of one key's row atomically (a monitor, a
 * guarded file, a compare-and-set loop): the backend supplies {@link #update}, {@link #read}, {@link #current} and
 * {@link #list}; the four mutating steps are written here once, over {@link LeaseState}'s transitions.
 */
public abstract class AtomicLeaseStore implements LeaseStore {

    /**
     * One atomic step on a key's row.
     *
     * @param <T> what the step returns to its caller
     */
    @FunctionalInterface
    protected interface Step<T> {

        /**
         * Decides the step.
         *
         * @param row  the key's row, or {@code null} if the key was never granted
         * @param live whether {@code row}'s lease is live at {@code now} by the backend's rule (at least
         *             {@link LeaseState#isHeldAt})
         * @param now  the store's time of this step
         */
        Change<T> apply(LeaseState row, boolean live, Instant now);
    }

    /**
     * What a {@link Step} decided.
     *
     * @param result what the step returns
     * @param write  the row to store in place of the old one, or {@code null} to leave the store unchanged
     */
    protected record Change<T>(T result, LeaseState write) {

        static <T> Change<T> keep(T result) {
            return new Change<>(result, null);
        }

        static <T> Change<T> write(LeaseState row, T result) {
            return new Change<>(result, row);
        }
    }

    /**
     * Runs {@code step} on {@code key}'s row atomically: reads the row, decides liveness, applies the step, and stores
     * {@link Change#write()} if there is one, all before any other step on the key may read it.
     */
    protected abstract <T> T update(String key, Step<T> step);

    @Override
    public Optional<LeaseState> grant(LeaseGrant grant) {
        return update(grant.key(), (row, live, now) -> {
            if (live) {
                return Change.keep(Optional.empty());
            }
            LeaseState granted = LeaseState.granted(row, grant, now);
            return Change.write(granted, Optional.of(granted));
        });
    }

    @Override
    public Optional<LeaseState> extend(LockLease lease, Duration ttl) {
        return update(lease.key(), (row, live, now) -> {
            if (row == null || !live || !row.isHeldBy(lease)) {
                return Change.keep(Optional.empty());
            }
            LeaseState extended = row.extended(now, ttl);
            return Change.write(extended, Optional.of(extended));
        });
    }

    @Override
    public boolean release(LockLease lease) {
        return update(lease.key(), (row, live, now) -> row != null && row.isHeldBy(lease)
                ? Change.write(row.released(), true)
                : Change.keep(false));
    }

    @Override
    public Optional<LeaseState> forceRelease(String key) {
        return update(key, (row, live, now) -> {
            if (row == null) {
                return Change.keep(Optional.empty());
            }
            Optional<LeaseState> broken = live ? Optional.of(row) : Optional.empty();
            return row.revoked() && !row.isHeld() ? Change.keep(broken) : Change.write(row.forceReleased(), broken);
        });
    }
}
