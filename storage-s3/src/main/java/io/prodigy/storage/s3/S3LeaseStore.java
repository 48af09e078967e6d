package io.prodigy.storage.s3;

import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The lock primitive: each step (grant, extend, release, force-release) is one read of the key's newest generation
 * and one create-only write of the next, so two steps on one key never both apply. The lock algorithm around it (the
 * blocking loop, argument checks) lives in {@link S3LockService}.
 *
 * <p>Layout: {@code <prefix>locks/<key>/g<n>}, each generation the key's whole state: the holder (or none), the
 * lease, and the highest fencing token ever granted for the key. Generations are compacted but a lock key is never
 * deleted whole, so its token never goes back, across releases, expiry, forced releases and restarts.
 *
 * <p>Time: expiry compares {@code expiresAt} with the client clock of the caller. Two clients whose clocks differ by
 * {@code d} can both believe they hold a lease during {@code d} after it lapses; docs/s3.md states the tolerance.
 */
final class S3LeaseStore {

    /**
     * A key's state as stored.
     *
     * @param holder     the live or lapsed holder, or {@code null} when released or broken
     * @param highToken  highest token granted (or fenced off by a forced release) for the key
     */
    record LeaseState(String key, String holder, String owner, Instant acquiredAt, Duration ttl, Instant expiresAt,
            long token, long highToken) {

        LockLease lease() {
            return new LockLease(key, holder, owner, acquiredAt, ttl, expiresAt, token);
        }

        boolean heldAt(Instant now) {
            return holder != null && now.isBefore(expiresAt);
        }
    }

    private final Backend b;
    private final String owner;

    S3LeaseStore(Backend backend, String owner) {
        this.b = backend;
        this.owner = owner;
    }

    /** Grants {@code key} if free or lapsed: the new lease, or empty if a live lease holds it. */
    Optional<LockLease> grant(String key, Duration ttl) {
        return b.gens.update(b.layout.lock(key), current -> {
            LeaseState state = current.as(LeaseState.class);
            Instant now = b.now();
            if (state != null && state.heldAt(now)) {
                return Generations.done(Optional.<LockLease>empty());
            }
            long token = (state == null ? 0 : state.highToken()) + 1;
            LeaseState granted = new LeaseState(key, UUID.randomUUID().toString(), owner, now, ttl, now.plus(ttl),
                    token, token);
            return Generations.write(granted, Optional.of(granted.lease()));
        });
    }

    /** Extends a live lease held by {@code lease}'s holder. */
    LockLease extend(LockLease lease, Duration ttl) {
        return b.gens.update(b.layout.lock(lease.key()), current -> {
            LeaseState state = current.as(LeaseState.class);
            Instant now = b.now();
            if (state == null || state.holder() == null || !state.holder().equals(lease.holder())) {
                throw new LockNotHeldException(lease.key(), state == null || state.holder() == null
                        ? "it was released, broken or never granted"
                        : "it was taken over (now fencing token " + state.token() + ")");
            }
            if (!state.heldAt(now)) {
                throw new LockNotHeldException(lease.key(), "it expired at " + state.expiresAt() + " (now " + now
                        + "); an expired lease cannot be extended");
            }
            LeaseState extended = new LeaseState(state.key(), state.holder(), state.owner(), state.acquiredAt(), ttl,
                    now.plus(ttl), state.token(), state.highToken());
            return Generations.write(extended, extended.lease());
        });
    }

    /**
     * Releases {@code lease} if it is still the key's lease, live or lapsed without a takeover (a lapsed one is let
     * go without a write).
     */
    void release(LockLease lease) {
        b.gens.update(b.layout.lock(lease.key()), current -> {
            LeaseState state = current.as(LeaseState.class);
            if (state == null || state.holder() == null || !state.holder().equals(lease.holder())) {
                throw new LockNotHeldException(lease.key(), state == null || state.holder() == null
                        ? "it was already released or broken"
                        : "it expired and was taken over (now fencing token " + state.token() + ")");
            }
            if (!state.heldAt(b.now())) {
                return Generations.done(null);
            }
            return Generations.write(free(state, state.highToken()), null);
        });
    }

    /**
     * Breaks the live lease, if any, and raises the key's token high-water mark past it, so the broken holder's fenced
     * writes fail from now on (not only after the next grant).
     */
    Optional<LockLease> forceRelease(String key) {
        return b.gens.update(b.layout.lock(key), current -> {
            LeaseState state = current.as(LeaseState.class);
            if (state == null || !state.heldAt(b.now())) {
                return Generations.done(Optional.<LockLease>empty());
            }
            return Generations.write(free(state, state.highToken() + 1), Optional.of(state.lease()));
        });
    }

    /** The key's state, or empty if it was never granted. */
    Optional<LeaseState> read(String key) {
        return Optional.ofNullable(b.gens.read(b.layout.lock(key)).as(LeaseState.class));
    }

    /** Every live lease, ordered by key (one LIST of all lock generations, one GET per key unless cached). */
    List<LockLease> list() {
        ObjectStore.Page all = b.store.listAll(b.layout.locks());
        Map<String, Generations.Current> currents = b.gens.currents(all, Layout::baseOf);
        Instant now = b.now();
        List<LockLease> live = new ArrayList<>();
        for (Generations.Current c : currents.values()) {
            LeaseState state = c.as(LeaseState.class);
            if (state != null && state.heldAt(now)) {
                live.add(state.lease());
            }
        }
        live.sort(Comparator.comparing(LockLease::key, Utf8Order.COMPARATOR));
        return live;
    }

    /**
     * Rejects a write guarded by {@code fence} if a later lease was granted for its key (or the lease was broken), or
     * if the token was never granted. This is a read before the write, not atomic with it: S3 cannot condition a
     * write on another object. docs/s3.md, "Fencing", gives the window.
     */
    void checkFence(String recordKey, Fence fence) {
        if (fence == null || fence.isNone()) {
            return;
        }
        long high = read(fence.lockKey()).map(LeaseState::highToken).orElse(0L);
        if (high != fence.token()) {
            throw new FencingException(recordKey, fence.lockKey(), fence.token(), high);
        }
    }

    private static LeaseState free(LeaseState state, long highToken) {
        return new LeaseState(state.key(), null, state.owner(), state.acquiredAt(), state.ttl(), state.expiresAt(),
                state.token(), highToken);
    }
}
