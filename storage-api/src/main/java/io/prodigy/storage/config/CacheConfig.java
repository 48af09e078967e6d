package io.prodigy.storage.config;

import java.time.Duration;

/**
 * {@code storage.cache_config}: the read cache used when {@code enable_cache} is true.
 *
 * @param maxEntries entries kept at most; default 1000
 * @param ttl        how long an entry may be served; also the bound on how stale a read can be after another
 *                   process wrote; default 1h
 * @param cacheType  only {@code memory}
 */
public record CacheConfig(int maxEntries, Duration ttl, String cacheType) {

    public static final CacheConfig DEFAULT = new CacheConfig(1000, Duration.ofHours(1), "memory");

    public CacheConfig {
        if (maxEntries < 1 || maxEntries > 10_000_000) {
            throw StorageConfigException.invalidValue("max_entries", maxEntries, "a whole number from 1 to 10000000");
        }
        if (ttl == null || ttl.isZero() || ttl.isNegative()) {
            throw StorageConfigException.invalidValue("ttl", ttl == null ? null : Durations.format(ttl),
                    Durations.POSITIVE_SYNTAX);
        }
        if (!"memory".equals(cacheType)) {
            throw StorageConfigException.invalidValue("cache_type", cacheType, "one of: memory");
        }
    }
}
