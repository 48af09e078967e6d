package io.prodigy.storage.redis;

import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.support.lease.LeaseGrant;
import io.prodigy.storage.support.lease.LeaseState;
import io.prodigy.storage.support.lease.LeaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lease rows of {@link io.prodigy.storage.support.lease.LeaseLockService}: each step one script (release: one
 * command), decided with the store's clock. A key's hash ({@code tok}, {@code rv}, {@code holder}, {@code owner},
 * {@code acq}, {@code ttl}, {@code exp}, {@code v}, and the mark {@code h/<holder>/<token>} while the grant is
 * unreleased) is never deleted, so {@code tok} is the key's high-water mark; {@code rv} is 1 once a forced release
 * revoked the token. A sorted set lists every key ever granted, in byte order ({@code lock_grant} adds a key once and
 * nothing removes it: the two commands it would cost on every acquire and release are most of what a held-keys index
 * costs), and {@link #list} keeps the live ones.
 */
final class RedisLeaseStore implements LeaseStore {

    private static final String[] ROW = {"tok", "rv", "holder", "owner", "acq", "ttl", "exp"};

    private final RedisClient client;
    private final Keys keys;

    RedisLeaseStore(RedisClient client, Keys keys) {
        this.client = client;
        this.keys = keys;
    }

    @Override
    public Instant now() {
        return client.now();
    }

    @Override
    public Optional<LeaseState> read(String key) {
        return Optional.ofNullable(rows(List.of(key)).get(0));
    }

    /**
     * One script; the reply is only the token and the grant's time (one integer when they are equal, the usual case
     * with the server clock), the rest of the row is the caller's.
     */
    @Override
    public Optional<LeaseState> grant(LeaseGrant grant) {
        long ttlMicros = micros(grant.ttl());
        String ttl = Long.toString(ttlMicros);
        List<String> args = client.clientClock() ? List.of(ttl, grant.holder(), grant.owner(), client.nowArg())
                : List.of(ttl, grant.holder(), grant.owner());
        Object reply = client.script("acquiring lock '" + grant.key() + "'", Script.LOCK_GRANT,
                List.of(keys.lock(grant.key())), args);
        if (reply == null) {
            return Optional.empty();
        }
        long token;
        long acquiredMicros;
        if (reply instanceof Long t) {
            token = t;
            acquiredMicros = t;
        } else {
            Reply r = Reply.of(reply);
            token = r.number(0);
            acquiredMicros = r.number(1);
        }
        Instant acquired = TimeCode.ofMicros(acquiredMicros);
        Duration stored = Duration.ofNanos(ttlMicros * 1_000L);
        return Optional.of(new LeaseState(grant.key(), token, false, grant.holder(), grant.owner(), acquired,
                stored, acquired.plus(stored)));
    }

    /** One script; the reply is only the time of the extension, the rest of the row is the lease's. */
    @Override
    public Optional<LeaseState> extend(LockLease lease, Duration ttl) {
        long ttlMicros = micros(ttl);
        Reply r = Reply.of(client.script("extending lock '" + lease.key() + "'", Script.LOCK_EXTEND,
                List.of(keys.lock(lease.key())), List.of(client.nowArg(), lease.holder(),
                        Long.toString(lease.fencingToken()), Long.toString(ttlMicros))));
        if (!r.is("OK")) {
            return Optional.empty();
        }
        Duration stored = Duration.ofNanos(ttlMicros * 1_000L);
        return Optional.of(new LeaseState(lease.key(), lease.fencingToken(), false, lease.holder(), lease.owner(),
                lease.acquiredAt(), stored, TimeCode.ofMicros(r.string(1)).plus(stored)));
    }

    /**
     * One plain command: {@code HDEL} of the grant's mark ({@code h/<holder>/<token>}, see {@code lock_grant.lua}),
     * which exists only while that grant is unreleased and not taken over or broken, so deleting it is the check of
     * holder and token and the release in one step. The token, the grant's times and {@code holder} (the last
     * grant's) stay.
     */
    @Override
    public boolean release(LockLease lease) {
        String lockKey = keys.lock(lease.key());
        String mark = mark(lease.holder(), lease.fencingToken());
        return client.call("releasing lock '" + lease.key() + "'", j -> j.hdel(lockKey, mark)) == 1L;
    }

    /** The field that marks a grant unreleased. */
    private static String mark(String holder, long token) {
        return "h/" + holder + "/" + token;
    }

    @Override
    public Optional<LeaseState> forceRelease(String key) {
        Reply r = Reply.of(client.script("breaking lock '" + key + "'", Script.LOCK_FORCE,
                List.of(keys.lock(key)), List.of(client.nowArg())));
        return r.is("OK") ? Optional.of(row(key, r.list(1))) : Optional.empty();
    }

    @Override
    public Optional<LeaseState> current(String key) {
        return live(List.of(key)).stream().findFirst();
    }

    @Override
    public List<LeaseState> list(String afterKey, int limit) {
        List<LeaseState> out = new ArrayList<>();
        String min = afterKey == null ? "-" : "(" + afterKey;
        while (out.size() < limit) {
            String from = min;
            List<String> page = client.read("listing locks", j -> j.zrangeByLex(keys.heldLocks(), from, "+", 0,
                    IndexScan.PAGE));
            for (LeaseState row : live(page)) {
                if (out.size() < limit) {
                    out.add(row);
                }
            }
            if (page.size() < IndexScan.PAGE) {
                break;
            }
            min = "(" + page.get(page.size() - 1);
        }
        return out;
    }

    /** The rows of {@code lockKeys} whose lease is live at the store's time, in the given order. */
    private List<LeaseState> live(List<String> lockKeys) {
        if (lockKeys.isEmpty()) {
            return List.of();
        }
        Reply r = read(lockKeys);
        Instant now = TimeCode.ofMicros(r.number(0));
        List<LeaseState> out = new ArrayList<>();
        for (int i = 0; i < lockKeys.size(); i++) {
            LeaseState row = row(lockKeys.get(i), r.list(i + 1));
            if (row != null && row.isHeldAt(now)) {
                out.add(row);
            }
        }
        return out;
    }

    /** The rows as stored ({@code null} for a key never granted), in the given order. */
    private List<LeaseState> rows(List<String> lockKeys) {
        Reply r = read(lockKeys);
        List<LeaseState> out = new ArrayList<>(lockKeys.size());
        for (int i = 0; i < lockKeys.size(); i++) {
            out.add(row(lockKeys.get(i), r.list(i + 1)));
        }
        return out;
    }

    private Reply read(List<String> lockKeys) {
        return Reply.of(client.readScript("reading locks", Script.LOCK_READ,
                lockKeys.stream().map(keys::lock).toList(), List.of(client.nowArg())));
    }

    /** A row from the fields {@link #ROW} in order, or {@code null} if the key was never granted. */
    private static LeaseState row(String key, Reply f) {
        if (f.isNull(0)) {
            return null;
        }
        String acq = f.string(4);
        String ttl = f.string(5);
        String exp = f.string(6);
        return new LeaseState(key, f.number(0), "1".equals(f.string(1)), f.string(2), f.string(3),
                acq == null ? null : TimeCode.ofMicros(acq),
                ttl == null ? null : Duration.ofNanos(Long.parseLong(ttl) * 1_000L),
                exp == null ? null : TimeCode.ofMicros(exp));
    }

    /** The row a fenced script refused a write on ({@code FENCED token revoked}), for the shared rule's error. */
    static LeaseState fenceRow(String lockKey, Reply fenced) {
        long token = fenced.number(1);
        return token == 0 ? null : new LeaseState(lockKey, token, "1".equals(fenced.string(2)), null, "", null, null,
                null);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000L;
    }
}
