package io.prodigy.storage.core.layer.locking;

import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.support.lease.LeaseGrant;
import io.prodigy.storage.support.lease.LeaseLockService;
import io.prodigy.storage.support.lease.LeaseState;
import io.prodigy.storage.support.lease.LeaseStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease store of {@code enable_locking: false}, under the shared {@link LeaseLockService} (see {@link #service}):
 * every grant succeeds at once with a fresh lease (a new holder id and a token higher than any it handed out before),
 * extend and release always succeed, and nothing is held, so {@code current}, {@code list} and {@code forceRelease}
 * find nothing. The first grant logs a WARN. Arguments are validated by the shared service exactly as with locking
 * on, so code that works with locking off also works with it on.
 *
 * <p>Meant for one process working alone, as the troubleshooting section of docs/configuration.md suggests when
 * a stale lock blocks work. With several processes nothing stops them from doing the same work twice.
 */
final class NoOpLeaseStore implements LeaseStore {

    private static final Logger LOG = LoggerFactory.getLogger(NoOpLeaseStore.class);

    /** The owner every no-op lease names. */
    static final String OWNER = "locking disabled (enable_locking: false)";

    private final Clock clock;
    private final String backendType;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();

    private NoOpLeaseStore(Clock clock, String backendType) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backendType = backendType;
    }

    /** The lock service of {@code enable_locking: false} on {@code backendType}, with {@code clock} as its time. */
    static LeaseLockService service(Clock clock, String backendType) {
        return new LeaseLockService(new NoOpLeaseStore(clock, backendType), OWNER);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Optional<LeaseState> read(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<LeaseState> grant(LeaseGrant grant) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("Storage locking is disabled (storage.enable_locking: false) on backend '{}': lock '{}' and every"
                    + " later lock are granted without checking other holders, and fencing tokens are not enforced."
                    + " Run only one process against this store, and turn locking back on when the stale lock is"
                    + " cleared.", backendType, grant.key());
        }
        Instant now = clock.instant();
        return Optional.of(new LeaseState(grant.key(), tokens.incrementAndGet(), false, grant.holder(),
                grant.owner(), now, grant.ttl(), now.plus(grant.ttl())));
    }

    @Override
    public Optional<LeaseState> extend(LockLease lease, Duration ttl) {
        Instant now = clock.instant();
        return Optional.of(new LeaseState(lease.key(), lease.fencingToken(), false, lease.holder(), lease.owner(),
                lease.acquiredAt(), ttl, now.plus(ttl)));
    }

    @Override
    public boolean release(LockLease lease) {
        return true;
    }

    @Override
    public Optional<LeaseState> forceRelease(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<LeaseState> current(String key) {
        return Optional.empty();
    }

    @Override
    public List<LeaseState> list(String afterKey, int limit) {
        return List.of();
    }
}
