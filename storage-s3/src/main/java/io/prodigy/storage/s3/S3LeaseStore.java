package io.prodigy.storage.s3;

import io.prodigy.storage.support.lease.AtomicLeaseStore;
import io.prodigy.storage.support.lease.LeaseLockService;
import io.prodigy.storage.support.lease.LeaseState;
import io.prodigy.storage.support.lease.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
     * Live rows after {@code afterKey}: lock keys are {@link KeyCodec#name} segments, so S3's key order is
     * {@link LeaseStore#KEY_ORDER} and the walk starts after {@code afterKey} with {@code start-after}. Keys are read
     * lazily ({@code limit} rows' newest generations at a time, in parallel) until {@code limit} live rows: a page
     * costs O(limit) requests plus one read per released or expired key it passes (lock keys are never deleted, so
     * tokens never go back; docs/s3.md).
     */
    @Override
    public List<LeaseState> list(String afterKey, int limit) {
        b.ensureOpen();
        String startAfter = afterKey == null ? null : KeyCodec.afterAll(b.layout.lock(afterKey));
        Iterator<Generations.Current> rows = b.gens.records(b.layout.locks(), startAfter, Math.min(limit, 64),
                Layout::baseOf);
        Instant now = b.now();
        List<LeaseState> live = new ArrayList<>();
        while (live.size() < limit && rows.hasNext()) {
            LeaseState row = state(rows.next());
            if (row != null && row.isHeldAt(now)) {
                live.add(row);
            }
        }
        return live;
    }

    private static LeaseState state(Generations.Current current) {
        Row row = current.as(Row.class);
        return row == null ? null : row.state();
    }
}
