package io.prodigy.storage.bench.distributed;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.lock.LockLease;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.redis.jedis4.JedisLockProvider;
import redis.clients.jedis.JedisPool;

/**
 * The two sides of the issue 12 lock comparison on one Redis ({@link RedisTarget}), under one fresh key prefix: the
 * store's {@code locks()} and ShedLock's Jedis provider (its own Jedis pool, as ShedLock users wire it). Each side
 * acquires and releases a key of its own; {@link RedisLockBench}, {@link RedisLockPairBench} and
 * {@link RedisCostProbe} all run these two operations, so they compare the same thing.
 */
final class RedisLocks implements AutoCloseable {

    static final Duration TTL = Duration.ofSeconds(30);

    private final String prefix;
    private final UnifiedStorage storage;
    private final JedisPool pool;
    private final JedisLockProvider shedlock;

    RedisLocks(String what) {
        prefix = RedisTarget.newPrefix(what);
        storage = RedisTarget.open(prefix);
        pool = new JedisPool(URI.create(RedisTarget.URL));
        shedlock = new JedisLockProvider(pool, prefix);
    }

    /** The store's side: {@code tryAcquire} + {@code release} (a fencing token, revocable, listed). */
    long store(String key) {
        LockLease lease = storage.locks().tryAcquire(key, TTL).orElseThrow();
        storage.locks().release(lease);
        return lease.fencingToken();
    }

    /** ShedLock's side: {@code SET NX PX}, then unlock ({@code DEL}; no token). */
    int shedlock(String key) {
        SimpleLock lock = shedlock.lock(new LockConfiguration(Instant.now(), key, TTL, Duration.ZERO)).orElseThrow();
        lock.unlock();
        return 1;
    }

    UnifiedStorage storage() {
        return storage;
    }

    /** ShedLock's pool, for {@link RedisCostProbe}'s floor alternatives (the same client path as ShedLock's side). */
    JedisPool pool() {
        return pool;
    }

    /** This trial's key prefix (every key the comparison writes starts with it). */
    String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        pool.close();
        storage.close();
    }
}
