package io.prodigy.storage.memory;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.lock.LockService;
import io.prodigy.storage.support.ChangeNotifier;
import io.prodigy.storage.support.fence.FenceCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Leased locks with fencing tokens, held in memory.
 *
 * <p>All state sits behind one monitor: the lease table (a lapsed lease stays in it until it is taken over, released
 * or broken, so that its holder's late {@code release} is recognised and passes quietly) and the per-key highest
 * token ever granted. Tokens come from that high-water mark, which is never lowered: not by release, expiry,
 * {@link #forceRelease} nor a restart from a snapshot. Lock state is not charged to {@code max_memory}, so that a full
 * store can still be locked to clean it up.
 *
 * <p>A blocking {@link #acquire} waits outside the monitor, on a {@link ChangeNotifier} that releases signal, and
 * re-polls with backoff (expiry needs no signal: it is a matter of the clock).
 */
final class MemoryLockService implements LockService, FenceCheck {

    private static final long MAX_BACKOFF_MILLIS = 50;

    private final StoreState state;
    private final String owner;
    private final Object monitor = new Object();
    private final Map<String, LockLease> leases = new HashMap<>();
    private final Map<String, Long> highestTokens = new HashMap<>();
    private final ChangeNotifier releases = new ChangeNotifier();

    /** @param owner who takes locks through this store, for humans (for example {@code pid 4711 on build-7}) */
    MemoryLockService(StoreState state, String owner) {
        this.state = state;
        this.owner = owner;
    }

    @Override
    public Optional<LockLease> tryAcquire(String key, Duration ttl) {
        checkKey(key);
        checkTtl(key, ttl);
        return state.mutate(() -> {
            synchronized (monitor) {
                return grant(key, ttl);
            }
        });
    }

    @Override
    public LockLease acquire(String key, Duration ttl, Duration maxWait) {
        checkKey(key);
        checkTtl(key, ttl);
        if (maxWait == null || maxWait.isNegative()) {
            throw new InvalidInputException("Invalid wait " + maxWait + " for lock '" + key
                    + "': pass Duration.ZERO to try once, or a positive duration to wait.");
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        long backoffMillis = 1;
        while (true) {
            long seen = releases.version();
            Optional<LockLease> lease = tryAcquire(key, ttl);
            if (lease.isPresent()) {
                return lease.get();
            }
            long remainingNanos = deadline - System.nanoTime();
            if (remainingNanos <= 0) {
                throw new LockTimeoutException(key, maxWait, describeHolder(key));
            }
            long waitMillis = Math.max(1, Math.min(backoffMillis, remainingNanos / 1_000_000));
            try {
                releases.awaitChange(seen, Duration.ofMillis(waitMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockTimeoutException(key, maxWait, describeHolder(key) + " (interrupted while waiting)");
            }
            backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        }
    }

    @Override
    public LockLease extend(LockLease lease, Duration ttl) {
        requireLease(lease);
        checkTtl(lease.key(), ttl);
        return state.mutate(() -> {
            synchronized (monitor) {
                Instant now = state.now();
                LockLease live = leases.get(lease.key());
                if (live == null || !live.holder().equals(lease.holder())) {
                    throw new LockNotHeldException(lease.key(), live == null
                            ? "it was released, broken or never granted"
                            : "it was taken over (now fencing token " + live.fencingToken() + ")");
                }
                if (live.isExpiredAt(now)) {
                    throw new LockNotHeldException(lease.key(), "it expired at " + live.expiresAt()
                            + " (now " + now + "); an expired lease cannot be extended");
                }
                LockLease extended = new LockLease(live.key(), live.holder(), live.owner(), live.acquiredAt(), ttl,
                        now.plus(ttl), live.fencingToken());
                leases.put(live.key(), extended);
                return extended;
            }
        });
    }

    @Override
    public void release(LockLease lease) {
        requireLease(lease);
        state.mutate(() -> {
            synchronized (monitor) {
                LockLease live = leases.get(lease.key());
                if (live == null || !live.holder().equals(lease.holder())) {
                    throw new LockNotHeldException(lease.key(), live == null
                            ? "it was already released or broken"
                            : "it expired and was taken over (now fencing token " + live.fencingToken() + ")");
                }
                // Ours, live or lapsed without a takeover: either way releasing it is correct and quiet.
                leases.remove(lease.key());
            }
        });
        releases.signal();
    }

    @Override
    public Optional<LockLease> current(String key) {
        checkKey(key);
        state.ensureOpen();
        synchronized (monitor) {
            LockLease live = leases.get(key);
            return live != null && !live.isExpiredAt(state.now()) ? Optional.of(live) : Optional.empty();
        }
    }

    @Override
    public List<LockLease> list() {
        state.ensureOpen();
        synchronized (monitor) {
            Instant now = state.now();
            List<LockLease> live = new ArrayList<>();
            for (LockLease lease : leases.values()) {
                if (!lease.isExpiredAt(now)) {
                    live.add(lease);
                }
            }
            live.sort(Comparator.comparing(LockLease::key));
            return live;
        }
    }

    @Override
    public Optional<LockLease> forceRelease(String key) {
        checkKey(key);
        Optional<LockLease> broken = state.mutate(() -> {
            synchronized (monitor) {
                LockLease removed = leases.remove(key);
                return removed != null && !removed.isExpiredAt(state.now())
                        ? Optional.of(removed) : Optional.<LockLease>empty();
            }
        });
        releases.signal();
        return broken;
    }

    /**
     * The fence check's primitive. Stores call {@link FenceCheck#check} inside their own write lock, right before
     * the write; a grant concurrent with it is then ordered after the write (the fenced store's lock comes before
     * this monitor in the lock order, see {@link StoreState}).
     */
    @Override
    public long highestToken(String lockKey) {
        synchronized (monitor) {
            return highestTokens.getOrDefault(lockKey, 0L);
        }
    }

    /** Live leases held right now (for health; works on a closed store too). */
    int liveCount() {
        synchronized (monitor) {
            Instant now = state.now();
            return (int) leases.values().stream().filter(l -> !l.isExpiredAt(now)).count();
        }
    }

    /** The lock state to persist; call inside {@link StoreState#exclusive}. */
    LockTable export() {
        synchronized (monitor) {
            return new LockTable(new TreeMap<>(highestTokens), new ArrayList<>(leases.values()));
        }
    }

    /** Restores persisted lock state into this empty service. */
    void restore(LockTable table) {
        synchronized (monitor) {
            highestTokens.putAll(table.highestTokens());
            for (LockLease lease : table.leases()) {
                leases.put(lease.key(), lease);
                highestTokens.merge(lease.key(), lease.fencingToken(), Math::max);
            }
        }
    }

    /** Persisted lock state: the per-key token high-water marks and the leases that were held. */
    record LockTable(Map<String, Long> highestTokens, List<LockLease> leases) {
        LockTable {
            highestTokens = highestTokens == null ? Map.of() : Map.copyOf(highestTokens);
            leases = leases == null ? List.of() : List.copyOf(leases);
        }
    }

    private Optional<LockLease> grant(String key, Duration ttl) {
        Instant now = state.now();
        LockLease live = leases.get(key);
        if (live != null && !live.isExpiredAt(now)) {
            return Optional.empty();
        }
        long token = highestTokens.getOrDefault(key, 0L) + 1;
        LockLease lease = new LockLease(key, UUID.randomUUID().toString(), owner, now, ttl, now.plus(ttl), token);
        highestTokens.put(key, token);
        leases.put(key, lease);
        return Optional.of(lease);
    }

    private String describeHolder(String key) {
        synchronized (monitor) {
            LockLease live = leases.get(key);
            if (live == null) {
                return "another holder (it was released just now)";
            }
            return "'" + live.owner() + "' (holder " + live.holder() + ", fencing token " + live.fencingToken()
                    + ", lease expires at " + live.expiresAt() + ")";
        }
    }

    private static void checkKey(String key) {
        Ids.check("lock key", key);
    }

    private static void checkTtl(String key, Duration ttl) {
        if (ttl == null || ttl.compareTo(MIN_TTL) < 0) {
            throw new InvalidInputException("Invalid TTL " + ttl + " for lock '" + key + "': it must be at least "
                    + MIN_TTL.toMillis() + "ms, so the lease can be extended before it lapses.");
        }
    }

    private static void requireLease(LockLease lease) {
        if (lease == null) {
            throw new InvalidInputException("Lease is missing: pass the lease returned by acquire or tryAcquire.");
        }
    }
}
