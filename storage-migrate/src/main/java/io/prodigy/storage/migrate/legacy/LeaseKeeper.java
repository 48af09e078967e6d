package io.prodigy.storage.migrate.legacy;

import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.migrate.MigrationException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a lock lease alive while a long step runs: extends it every third of its TTL on a daemon thread. If an
 * extension fails (the lease expired and another process took the lock), {@link #check()} says so, and the caller
 * stops before its next step instead of working on without the lock. Closing stops renewing and releases the lease.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final LockService locks;
    private final ScheduledExecutorService timer;
    private volatile LockLease lease;
    private volatile String lost;

    LeaseKeeper(LockService locks, LockLease lease, Duration ttl) {
        this.locks = locks;
        this.lease = lease;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prodigy-lease-" + lease.key());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, ttl.toMillis() / 3);
        timer.scheduleAtFixedRate(() -> extend(ttl), period, period, TimeUnit.MILLISECONDS);
    }

    private void extend(Duration ttl) {
        if (lost != null) {
            return;
        }
        try {
            lease = locks.extend(lease, ttl);
        } catch (StorageException e) {
            lost = e.getMessage();
            LOG.warn("Lost lock '{}' during the legacy migration: {}", lease.key(), e.getMessage());
        }
    }

    /** @throws MigrationException if the lease could not be kept */
    void check() {
        if (lost != null) {
            throw new MigrationException("The lock '" + lease.key() + "' that keeps other processes from migrating"
                    + " the same data was lost: " + lost);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            locks.release(lease);
        } catch (StorageException e) {
            LOG.debug("Releasing '{}' after the legacy migration: {}", lease.key(), e.getMessage());
        }
    }
}
