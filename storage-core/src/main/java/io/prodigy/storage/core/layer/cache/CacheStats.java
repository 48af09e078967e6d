package io.prodigy.storage.core.layer.cache;

import java.time.Duration;

/**
 * The read cache's figures.
 *
 * @param hits       reads served from the cache
 * @param misses     reads that went to the backend
 * @param size       entries held now (approximate)
 * @param evictions  entries dropped for size or age
 * @param maxEntries {@code cache_config.max_entries}
 * @param ttl        {@code cache_config.ttl}
 */
public record CacheStats(long hits, long misses, long size, long evictions, long maxEntries, Duration ttl) {

    /** Hits over all reads; 0 before the first read. */
    public double hitRate() {
        long reads = hits + misses;
        return reads == 0 ? 0.0 : (double) hits / reads;
    }
}
