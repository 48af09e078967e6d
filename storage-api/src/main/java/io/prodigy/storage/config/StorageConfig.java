package io.prodigy.storage.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code storage:} block of docs/configuration.md, with the same keys and defaults.
 *
 * @param backend            provider name; default {@code file}
 * @param connectionPoolSize connections for database backends; default 10
 * @param timeout            bound on each operation; default 30s
 * @param enableLocking      storage locks on; {@code false} makes acquire return a no-op lease (single-process use);
 *                           default true
 * @param enableCache        read cache for sessions, checkpoints and workflow definitions; default false
 * @param backendConfig      the chosen backend's own keys, bound by its provider (see {@link ConfigBinder})
 * @param retryPolicy        retries of transient failures
 * @param cacheConfig        the read cache's size and TTL
 */
public record StorageConfig(
        String backend, int connectionPoolSize, Duration timeout, boolean enableLocking, boolean enableCache,
        Map<String, Object> backendConfig, RetryPolicy retryPolicy, CacheConfig cacheConfig) {

    public static final StorageConfig DEFAULT = new StorageConfig("file", 10, Duration.ofSeconds(30), true, false,
            Map.of(), RetryPolicy.DEFAULT, CacheConfig.DEFAULT);

    public StorageConfig {
        if (backend == null || backend.isBlank()) {
            throw StorageConfigException.invalidValue("backend", backend, "a backend name such as file or memory");
        }
        if (connectionPoolSize < 1 || connectionPoolSize > 1000) {
            throw StorageConfigException.invalidValue("connection_pool_size", connectionPoolSize,
                    "a whole number from 1 to 1000");
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw StorageConfigException.invalidValue("timeout", timeout == null ? null : Durations.format(timeout),
                    Durations.POSITIVE_SYNTAX);
        }
        backendConfig = backendConfig == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(backendConfig));
        retryPolicy = retryPolicy == null ? RetryPolicy.DEFAULT : retryPolicy;
        cacheConfig = cacheConfig == null ? CacheConfig.DEFAULT : cacheConfig;
    }

    /** The defaults with another backend. */
    public static StorageConfig forBackend(String backend) {
        return DEFAULT.withBackend(backend);
    }

    public StorageConfig withBackend(String name) {
        return new StorageConfig(name, connectionPoolSize, timeout, enableLocking, enableCache, backendConfig,
                retryPolicy, cacheConfig);
    }

    public StorageConfig withBackendConfig(Map<String, Object> config) {
        return new StorageConfig(backend, connectionPoolSize, timeout, enableLocking, enableCache, config,
                retryPolicy, cacheConfig);
    }

    /** A copy with one more {@code backend_config} entry. */
    public StorageConfig withBackendOption(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(backendConfig);
        copy.put(key, value);
        return withBackendConfig(copy);
    }

    public StorageConfig withTimeout(Duration t) {
        return new StorageConfig(backend, connectionPoolSize, t, enableLocking, enableCache, backendConfig,
                retryPolicy, cacheConfig);
    }

    public StorageConfig withLocking(boolean on) {
        return new StorageConfig(backend, connectionPoolSize, timeout, on, enableCache, backendConfig, retryPolicy,
                cacheConfig);
    }

    public StorageConfig withCache(boolean on, CacheConfig cache) {
        return new StorageConfig(backend, connectionPoolSize, timeout, enableLocking, on, backendConfig, retryPolicy,
                cache);
    }

    public StorageConfig withRetryPolicy(RetryPolicy policy) {
        return new StorageConfig(backend, connectionPoolSize, timeout, enableLocking, enableCache, backendConfig,
                policy, cacheConfig);
    }

    /** Secret values in {@code backend_config} are masked. */
    @Override
    public String toString() {
        return "StorageConfig[backend=" + backend + ", connection_pool_size=" + connectionPoolSize + ", timeout="
                + Durations.format(timeout) + ", enable_locking=" + enableLocking + ", enable_cache=" + enableCache
                + ", backend_config=" + Redaction.redact(backendConfig) + ", retry_policy=" + retryPolicy
                + ", cache_config=" + cacheConfig + "]";
    }
}
