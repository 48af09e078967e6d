package io.prodigy.storage.redis;

import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lease primitive: each step one script, decided with the store's clock. A key's hash ({@code holder},
 * {@code owner}, {@code acq}, {@code ttl}, {@code exp}, {@code tok}) is never deleted: release and expiry clear or
 * outdate the holder but keep {@code tok}, the key's highest token, so tokens only rise, and a late release by a
 * lapsed holder nobody replaced is still recognised as its own. A sorted set lists the keys that may be held.
 */
final class RedisLeaseStore {

    /** A grant refused because a live lease holds the key; {@code holder} describes it. */
    record Refusal(LockLease holder) {}

    private final RedisClient client;
    private final Keys keys;

    RedisLeaseStore(RedisClient client, Keys keys) {
        this.client = client;
        this.keys = keys;
    }

    /** Grants a lease if the key is free or lapsed; otherwise returns who holds it. */
    Object grant(String key, Duration ttl, String holder, String owner) {
        Reply r = Reply.of(client.script("acquiring lock '" + key + "'", Script.LOCK_GRANT,
                List.of(keys.lock(key), keys.heldLocks()),
                List.of(client.nowArg(), Long.toString(micros(ttl)), holder, owner, key)));
        if (r.is("OK")) {
            return new LockLease(key, holder, owner, TimeCode.ofMicros(r.number(2)), ttl,
                    TimeCode.ofMicros(r.number(3)), r.number(1));
        }
        return new Refusal(lease(key, r.string(1), r.string(2), r.string(3), r.string(4), r.string(5),
                r.string(6)));
    }

    LockLease extend(LockLease lease, Duration ttl) {
        Reply r = Reply.of(client.script("extending lock '" + lease.key() + "'", Script.LOCK_EXTEND,
                List.of(keys.lock(lease.key())), List.of(client.nowArg(), lease.holder(),
                        Long.toString(lease.fencingToken()), Long.toString(micros(ttl)))));
        switch (r.status()) {
            case "OK" -> {
                return new LockLease(lease.key(), lease.holder(), lease.owner(), TimeCode.ofMicros(r.string(1)), ttl,
                        TimeCode.ofMicros(r.number(2)), lease.fencingToken());
            }
            case "FREE" -> throw new LockNotHeldException(lease.key(), "it was released, broken or never granted");
            case "OTHER" -> throw new LockNotHeldException(lease.key(), "it was taken over (now fencing token "
                    + r.string(1) + ")");
            default -> throw new LockNotHeldException(lease.key(), "it expired at " + TimeCode.ofMicros(r.string(1))
                    + " (now " + TimeCode.ofMicros(r.string(2)) + "); an expired lease cannot be extended");
        }
    }

    void release(LockLease lease) {
        Reply r = Reply.of(client.script("releasing lock '" + lease.key() + "'", Script.LOCK_RELEASE,
                List.of(keys.lock(lease.key()), keys.heldLocks()),
                List.of(lease.holder(), Long.toString(lease.fencingToken()), lease.key())));
        switch (r.status()) {
            case "OK" -> { }
            case "FREE" -> throw new LockNotHeldException(lease.key(), "it was already released or broken");
            default -> throw new LockNotHeldException(lease.key(), "it expired and was taken over (now fencing token "
                    + r.string(1) + ")");
        }
    }

    /** Breaks the live lease, if any, and raises the key's token. */
    Optional<LockLease> forceRelease(String key) {
        Reply r = Reply.of(client.script("breaking lock '" + key + "'", Script.LOCK_FORCE,
                List.of(keys.lock(key), keys.heldLocks()), List.of(client.nowArg(), key)));
        if (!r.is("OK")) {
            return Optional.empty();
        }
        return Optional.of(lease(key, r.string(1), r.string(2), r.string(3), r.string(4), r.string(5),
                r.string(6)));
    }

    /** The live leases of {@code lockKeys} (absent or lapsed ones left out), in the given order. */
    List<LockLease> read(List<String> lockKeys) {
        if (lockKeys.isEmpty()) {
            return List.of();
        }
        List<String> hashes = lockKeys.stream().map(keys::lock).toList();
        Reply r = Reply.of(client.readScript("reading locks", Script.LOCK_READ, hashes, List.of(client.nowArg())));
        Instant now = TimeCode.ofMicros(r.number(0));
        List<LockLease> out = new ArrayList<>();
        for (int i = 0; i < lockKeys.size(); i++) {
            Reply f = r.list(i + 1);
            if (f.isNull(0)) {
                continue;
            }
            LockLease lease = lease(lockKeys.get(i), f.string(0), f.string(1), f.string(2), f.string(3),
                    f.string(4), f.string(5));
            if (!lease.isExpiredAt(now)) {
                out.add(lease);
            }
        }
        return out;
    }

    /** The keys that may be held (held or lapsed, not released), in key byte order, a page after {@code after}. */
    List<String> heldKeys(String after, int page) {
        String min = after == null ? "-" : "(" + after;
        return client.read("listing locks", j -> j.zrangeByLex(keys.heldLocks(), min, "+", 0, page));
    }

    private static LockLease lease(String key, String holder, String owner, String acquired, String ttl,
            String expires, String token) {
        return new LockLease(key, holder, owner, TimeCode.ofMicros(acquired),
                Duration.ofNanos(Long.parseLong(ttl) * 1_000L), TimeCode.ofMicros(expires), Long.parseLong(token));
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000L;
    }
}
