package io.prodigy.storage.memory;

import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.support.InstantRange;
import io.prodigy.storage.support.lease.AtomicLeaseStore;
import io.prodigy.storage.support.lease.LeaseLockService;
import io.prodigy.storage.support.lease.LeaseState;
import io.prodigy.storage.support.lease.LeaseStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The memory backend's lock rows, under one monitor, for {@link LeaseLockService}. A row is never removed, so each
 * key's token high-water mark survives release, expiry, force-release and (with a snapshot) a restart. Lock state is
 * not charged to {@code max_memory}, so that a full store can still be locked to clean it up.
 */
final class MemoryLeaseStore extends AtomicLeaseStore {

    private final StoreState state;
    private final Object monitor = new Object();
    private final NavigableMap<String, LeaseState> rows = new TreeMap<>(LeaseStore.KEY_ORDER);

    MemoryLeaseStore(StoreState state) {
        this.state = state;
    }

    @Override
    public Instant now() {
        return InstantRange.normalize(state.now());
    }

    @Override
    protected <T> T update(String key, Step<T> step) {
        return state.mutate(() -> {
            synchronized (monitor) {
                Instant now = now();
                LeaseState row = rows.get(key);
                Change<T> change = step.apply(row, row != null && row.isHeldAt(now), now);
                if (change.write() != null) {
                    rows.put(key, change.write());
                }
                return change.result();
            }
        });
    }

    @Override
    public Optional<LeaseState> read(String key) {
        synchronized (monitor) {
            return Optional.ofNullable(rows.get(key));
        }
    }

    @Override
    public Optional<LeaseState> current(String key) {
        state.ensureOpen();
        synchronized (monitor) {
            return Optional.ofNullable(rows.get(key)).filter(r -> r.isHeldAt(now()));
        }
    }

    @Override
    public List<LeaseState> list(String afterKey, int limit) {
        state.ensureOpen();
        synchronized (monitor) {
            Instant now = now();
            List<LeaseState> live = new ArrayList<>();
            for (LeaseState row : (afterKey == null ? rows : rows.tailMap(afterKey, false)).values()) {
                if (row.isHeldAt(now)) {
                    live.add(row);
                    if (live.size() == limit) {
                        break;
                    }
                }
            }
            return live;
        }
    }

    /** Live leases held right now (for health; works on a closed store too). */
    int liveCount() {
        synchronized (monitor) {
            Instant now = now();
            return (int) rows.values().stream().filter(r -> r.isHeldAt(now)).count();
        }
    }

    /** The lock state to persist; call inside {@link StoreState#exclusive}. */
    LockTable export() {
        synchronized (monitor) {
            Map<String, Long> tokens = new TreeMap<>();
            List<LockLease> held = new ArrayList<>();
            List<String> revoked = new ArrayList<>();
            for (LeaseState row : rows.values()) {
                tokens.put(row.key(), row.token());
                if (row.isHeld()) {
                    held.add(row.lease(0));
                }
                if (row.revoked()) {
                    revoked.add(row.key());
                }
            }
            return new LockTable(tokens, held, revoked);
        }
    }

    /** Restores persisted lock state into this empty store. */
    void restore(LockTable table) {
        synchronized (monitor) {
            table.highestTokens().forEach((key, token) -> {
                if (token > 0) {
                    rows.put(key, new LeaseState(key, token, false, null, "", null, null, null));
                }
            });
            for (LockLease lease : table.leases()) {
                long token = Math.max(lease.fencingToken(), table.highestTokens().getOrDefault(lease.key(), 0L));
                rows.put(lease.key(), new LeaseState(lease.key(), token, false, token == lease.fencingToken()
                        ? lease.holder() : null, lease.owner(), lease.acquiredAt(), lease.ttl(), lease.expiresAt()));
            }
            for (String key : table.revoked()) {
                LeaseState row = rows.get(key);
                if (row != null) {
                    rows.put(key, row.forceReleased());
                }
            }
        }
    }

    /**
     * Persisted lock state: the per-key token high-water marks, the leases that were held, and the keys whose last
     * token was revoked by a force-release ({@code revoked} is absent from snapshots written before it existed).
     */
    record LockTable(Map<String, Long> highestTokens, List<LockLease> leases, List<String> revoked) {
        LockTable {
            highestTokens = highestTokens == null ? Map.of() : Map.copyOf(highestTokens);
            leases = leases == null ? List.of() : List.copyOf(leases);
            revoked = revoked == null ? List.of() : List.copyOf(revoked);
        }
    }
}
