package io.prodigy.storage.lock;

import io.prodigy.storage.id.Ids;

/**
 * A fencing token presented with a write. The store rejects the write if a lease with a higher token has been issued
 * for {@code lockKey} since, because then the writer may be a zombie whose lease expired during a pause.
 *
 * <p>Obtain one from {@link LockLease#fence()}. {@link #NONE} skips the check.
 */
public record Fence(String lockKey, long token) {

    /** No fencing: the write is not checked against any lock. */
    public static final Fence NONE = new Fence(null, 0);

    public Fence {
        if (lockKey != null) {
            Ids.check("lock key", lockKey);
            if (token <= 0) {
                throw new IllegalArgumentException("fencing token must be positive, was " + token);
            }
        }
    }

    public boolean isNone() {
        return lockKey == null;
    }
}
