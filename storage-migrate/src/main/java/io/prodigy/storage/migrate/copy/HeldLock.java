package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.lock.LockLease;
import java.time.Instant;

/**
 * A lock lease the source held at cut-over. Leases belong to the running processes that took them and are never
 * copied; a cut-over lists them so that their holders can be stopped, or can take them again in the target.
 *
 * @param key       the lock key
 * @param holder    who holds it: the lease's owner if it has one, else its holder id
 * @param expiresAt when the lease lapses unless renewed
 */
public record HeldLock(String key, String holder, Instant expiresAt) {

    static HeldLock of(LockLease lease) {
        return new HeldLock(lease.key(), lease.owner().isEmpty() ? lease.holder() : lease.owner(), lease.expiresAt());
    }

    @Override
    public String toString() {
        return "lock '" + key + "' held by " + holder + " until " + expiresAt;
    }
}
