package io.prodigy.storage.core.layer.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.prodigy.storage.config.CacheConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A Caffeine cache (size bound {@code max_entries}, expiry {@code ttl} after write, time from the storage's clock)
 * plus the bookkeeping that keeps it from ever holding a value older than this process's own last write.
 *
 * <p><b>The race it closes.</b> A reader misses, loads the old value from the backend, and is slow to put it in the
 * cache; meanwhile a writer stores a new value and updates the cache. Without care the reader's late put would
 * reinstate the old value. So every key maps to a generation (a counter per stripe of keys, plus one for bulk
 * invalidation) that every write bumps when it updates the entry, atomically with the update (inside the map's
 * {@code compute}). A reader notes the generation before loading and fills the cache only if it is unchanged. A
 * writer notes it before writing and caches its own result only if no other write touched the key meanwhile;
 * otherwise it invalidates, because it cannot know which of two overlapping writes the backend applied last.
 *
 * <p>Consequence: after a write through this cache returns, reads in this process see that write or a later one.
 * Writes by other processes are not seen until the entry expires: {@code ttl} bounds that staleness.
 */
final class ReadCache {

    private static final int STRIPES = 256;

    private final Cache<CacheKey, Object> cache;
    private final AtomicLongArray generations = new AtomicLongArray(STRIPES);
    private final AtomicLong bulkGeneration = new AtomicLong();
    private final CacheConfig config;

    ReadCache(CacheConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.maxEntries())
                .expireAfterWrite(config.ttl())
                .ticker(() -> nanos(clock.instant()))
                // Maintenance (eviction) on the calling thread: deterministic, and no pool thread to manage.
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** The generations of {@code key} at this moment. */
    Stamp stamp(CacheKey key) {
        int stripe = stripe(key);
        return new Stamp(stripe, generations.get(stripe), bulkGeneration.get());
    }

    private boolean unchanged(Stamp s) {
        return generations.get(s.stripe) == s.generation && bulkGeneration.get() == s.bulk;
    }

    /**
     * A cached copy, or the loader's value (cached if no write intervened).
     *
     * @param copy deep copy, applied to what goes into and what comes out of the cache
     */
    <V> Optional<V> read(CacheKey key, Class<V> type, UnaryOperator<V> copy, Supplier<Optional<V>> loader) {
        Object hit = cache.getIfPresent(key);
        if (hit != null) {
            return Optional.of(copy.apply(type.cast(hit)));
        }
        Stamp before = stamp(key);
        Optional<V> loaded = loader.get();
        loaded.ifPresent(value -> {
            Object stored = copy.apply(value);
            cache.asMap().compute(key, (k, current) -> unchanged(before) ? stored : current);
        });
        return loaded;
    }

    /**
     * Runs a write of {@code key} and updates the entry: with {@code toCache} of the result if no other write
     * touched the key meanwhile, else (and when the write throws, since it may have been applied) by removing it.
     *
     * @param toCache the value to cache for the result, or {@code null} to just invalidate
     */
    <R> R write(CacheKey key, Supplier<R> call, Function<R, Object> toCache) {
        Stamp before = stamp(key);
        R result;
        try {
            result = call.get();
        } catch (RuntimeException | Error e) {
            invalidate(key);
            throw e;
        }
        Object value = toCache == null ? null : toCache.apply(result);
        cache.asMap().compute(key, (k, current) -> {
            boolean clean = unchanged(before);
            generations.incrementAndGet(before.stripe);
            return clean ? value : null;
        });
        return result;
    }

    /** Drops the entry and fences off in-flight reads of it. */
    void invalidate(CacheKey key) {
        int stripe = stripe(key);
        cache.asMap().compute(key, (k, current) -> {
            generations.incrementAndGet(stripe);
            return null;
        });
    }

    /** Drops every entry {@code which} selects and fences off every in-flight read. */
    void invalidateAll(Predicate<CacheKey> which) {
        bulkGeneration.incrementAndGet();
        cache.asMap().keySet().removeIf(which);
    }

    CacheStats stats() {
        var s = cache.stats();
        return new CacheStats(s.hitCount(), s.missCount(), cache.estimatedSize(), s.evictionCount(),
                config.maxEntries(), config.ttl());
    }

    /** Runs pending maintenance (size eviction, expiry), so that {@link #stats()} is exact. */
    void cleanUp() {
        cache.cleanUp();
    }

    private static int stripe(CacheKey key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /** Generations noted before a read or write. */
    record Stamp(int stripe, long generation, long bulk) {}
}
