package io.prodigy.storage.core.layer.locking;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock service of {@code enable_locking: false}: every acquire succeeds at once with a fresh lease (a new holder
 * id and a token higher than any it handed out before), extend and release always succeed, and nothing is held, so
 * {@link #current}, {@link #list} and {@link #forceRelease} find nothing. The first acquire logs a WARN.
 *
 * <p>Meant for one process working alone, as the troubleshooting section of docs/configuration.md suggests when
 * a stale lock blocks work. With several processes nothing stops them from doing the same work twice. Arguments are
 * still validated as the real service does, so code that works with locking off also works with it on.
 */
public final class NoOpLockService implements LockService {

    private static final Logger LOG = LoggerFactory.getLogger(NoOpLockService.class);

    private final Clock clock;
    private final String backendType;
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();

    public NoOpLockService(Clock clock, String backendType) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backendType = backendType;
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        return Optional.of(grant(key, ttl));
    }

    @Override
    public LockLease acquire(String key, Duration ttl, Duration maxWait) {
        return grant(key, ttl);
    }

    private LockLease grant(String key, Duration ttl) {
        Ids.check("lock key", key);
        checkTtl(key, ttl);
        if (warned.compareAndSet(false, true)) {
            LOG.warn("Storage locking is disabled (storage.enable_locking: false) on backend '{}': lock '{}' and every"
                    + " later lock are granted without checking other holders, and fencing tokens are not enforced."
                    + " Run only one process against this store, and turn locking back on when the stale lock is"
                    + " cleared.", backendType, key);
        }
        Instant now = clock.instant();
        return new LockLease(key, "no-lock-" + UUID.randomUUID(), "locking disabled (enable_locking: false)", now, ttl,
                now.plus(ttl), tokens.incrementAndGet());
    }

    @Override
    public LockLease extend(LockLease lease, Duration ttl) {
        Objects.requireNonNull(lease, "lease");
        checkTtl(lease.key(), ttl);
        Instant now = clock.instant();
        return new LockLease(lease.key(), lease.holder(), lease.owner(), lease.acquiredAt(), ttl, now.plus(ttl),
                lease.fencingToken());
    }

    @Override
    public void release(LockLease lease) {
        Objects.requireNonNull(lease, "lease");
    }

    @Override
    public Optional<LockLease> current(String key) {
        Ids.check("lock key", key);
        return Optional.empty();
    }

    @Override
    public List<LockLease> list() {
        return List.of();
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        Ids.check("lock key", key);
        return Optional.empty();
    }

    private static void checkTtl(String key, Duration ttl) {
        if (ttl == null || ttl.compareTo(MIN_TTL) < 0) {
            throw new InvalidInputException("Lock '" + key + "' was requested with a TTL of " + ttl
                    + ", shorter than the minimum " + MIN_TTL.toMillis() + "ms. Use a longer TTL.");
        }
    }
}
