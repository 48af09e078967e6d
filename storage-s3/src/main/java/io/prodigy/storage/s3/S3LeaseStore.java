package io.prodigy.storage.s3;

import io.prodigy.storage.support.lease.AtomicLeaseStore;
import io.prodigy.storage.support.lease.LeaseLockService;
import io.prodigy.storage.support.lease.LeaseState;
import io.prodigy.storage.support.lease.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The S3 lock rows for {@link LeaseLockService}: each step (grant, extend, release, force-release, written once in
 * {@link AtomicLeaseStore}) is one read of the key's newest generation and one create-only write of the next, so two
 * steps on one key never both apply (the loser of the create reads again and decides again).
 *
 * <p>Layout: {@code <prefix>locks/<key>/g<n>}, each generation the key's whole {@link LeaseState} row. Generations are
 * compacted but a lock key is never deleted whole, so its token never goes back, across releases, expiry, forced
 * releases and restarts.
 *
 * <p>Time: expiry compares {@code expiresAt} with the client clock of the caller. Two clients whose clocks differ by
 * {@code d} can both believe they hold a lease during {@code d} after it lapses; docs/s3.md states the tolerance.
 */
final class S3LeaseStore extends AtomicLeaseStore {

    /** A lock generation's body: {@link LeaseState}'s fields, kept apart so its helper methods never reach JSON. */
    record Row(String key, long token, boolean revoked, String holder, String owner, Instant acquiredAt,
            Duration ttl, Instant expiresAt) {

        static Row of(LeaseState s) {
            return new Row(s.key(), s.token(), s.revoked(), s.holder(), s.owner(), s.acquiredAt(), s.ttl(),
                    s.expiresAt());
        }

        LeaseState state() {
            return new LeaseState(key, token, revoked, holder, owner, acquiredAt, ttl, expiresAt);
        }
    }

    private final Backend b;

    S3LeaseStore(Backend backend) {
        this.b = backend;
    }

    @Override
    public Instant now() {
        return b.now();
    }

    @Override
    protected <T> T update(String key, Step<T> step) {
        b.ensureOpen();
        return b.gens.update(b.layout.lock(key), current -> {
            LeaseState row = state(current);
            Instant now = b.now();
            Change<T> change = step.apply(row, row != null && row.isHeldAt(now), now);
            return change.write() == null ? Generations.done(change.result())
                    : Generations.write(Row.of(change.write()), change.result());
        });
    }

    @Override
    public Optional<LeaseState> read(String key) {
        b.ensureOpen();
        return Optional.ofNullable(state(b.gens.read(b.layout.lock(key))));
    }

    @Override
    public Optional<LeaseState> current(String key) {
        return read(key).filter(r -> r.isHeldAt(b.now()));
    }

    /**
     * Live rows after {@code afterKey}. The whole lock prefix is listed (one LIST per 1,000 generation objects, one GET
     * per changed key): S3 key order cannot stand in for {@link LeaseStore#KEY_ORDER} here, because each key is
     * followed by {@code /} in its object key ({@code a-b/} sorts before {@code a/}).
     */
    @Override
    public List<LeaseState> list(String afterKey, int limit) {
        b.ensureOpen();
        Map<String, Generations.Current> currents = b.gens.currents(b.store.listAll(b.layout.locks()), Layout::baseOf);
        Instant now = b.now();
        List<LeaseState> live = new ArrayList<>();
        for (Generations.Current c : currents.values()) {
            LeaseState row = state(c);
            if (row != null && row.isHeldAt(now)
                    && (afterKey == null || LeaseStore.KEY_ORDER.compare(row.key(), afterKey) > 0)) {
                live.add(row);
            }
        }
        live.sort(Comparator.comparing(LeaseState::key, LeaseStore.KEY_ORDER));
        return live.size() > limit ? List.copyOf(live.subList(0, limit)) : live;
    }

    private static LeaseState state(Generations.Current current) {
        Row row = current.as(Row.class);
        return row == null ? null : row.state();
    }
}
