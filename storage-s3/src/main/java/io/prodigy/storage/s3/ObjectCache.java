package io.prodigy.storage.s3;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Function;

/**
 * A bounded cache of parsed immutable objects, keyed by object key and ETag. Generation objects and sealed event
 * segments are never changed in place, and where an object is replaced (a purged segment, an upserted execution) its
 * ETag changes, so an entry can never be stale: a key+ETag pair names one content forever.
 */
final class ObjectCache {

    private record Entry(Object value, int weight) {}

    private final Cache<String, Entry> cache;

    ObjectCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, Entry e) -> e.weight())
                .build();
    }

    /**
     * The cached value for {@code key}@{@code eTag}, or {@code load}'s result, which is cached. {@code load} returns
     * the value with its size in bytes, or {@code null} if the object is gone (then nothing is cached).
     */
    @SuppressWarnings("unchecked")
    <T> T get(String key, String eTag, Function<String, Sized<T>> load) {
        String id = key + "#" + eTag;
        Entry hit = cache.getIfPresent(id);
        if (hit != null) {
            return (T) hit.value();
        }
        Sized<T> loaded = load.apply(key);
        if (loaded == null) {
            return null;
        }
        cache.put(id, new Entry(loaded.value(), loaded.bytes()));
        return loaded.value();
    }

    boolean contains(String key, String eTag) {
        return cache.getIfPresent(key + "#" + eTag) != null;
    }

    <T> void put(String key, String eTag, T value, int bytes) {
        cache.put(key + "#" + eTag, new Entry(value, bytes));
    }

    long size() {
        return cache.estimatedSize();
    }

    /** A value with the size of the object it was parsed from. */
    record Sized<T>(T value, int bytes) {}
}
