package io.prodigy.storage.redis;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.error.InvalidInputException;
import java.util.Set;

/**
 * Provider of the {@code redis} backend, registered in {@code META-INF/services/io.prodigy.storage.StorageProvider}.
 * Binds {@code storage.backend_config} to {@link RedisConfig}; {@code connection_pool_size} sizes the Jedis pool and
 * {@code timeout} bounds connecting, each reply and waiting for a pooled connection.
 *
 * <p>{@link #capabilities()} lists everything a Redis store may declare; an opened store declares
 * {@link Capability#DURABLE} only if the server fsyncs its append-only file on every write, and
 * {@link Capability#CLIENT_CLOCK} only with {@code clock: client}.
 */
public final class RedisStorageProvider implements StorageProvider {

    @Override
    public String name() {
        return RedisStorage.BACKEND;
    }

    @Override
    public String description() {
        return "Redis (Jedis): every store in one database under a key prefix, atomic Lua scripts, fenced leases;"
                + " durable when the server fsyncs its append-only file";
    }

    @Override
    public Set<Capability> capabilities() {
        return RedisStorage.ALL;
    }

    @Override
    public UnifiedStorage open(StorageConfig config, StorageContext context) {
        if (config == null || context == null) {
            throw new InvalidInputException("Opening Redis storage needs a StorageConfig and a StorageContext.");
        }
        RedisConfig redis = ConfigBinder.bind(config.backendConfig(), RedisConfig.class, RedisConfig.DEFAULT,
                "storage.backend_config");
        try {
            return RedisStorage.open(redis, config.connectionPoolSize(), config.timeout(), context);
        } catch (StorageConfigException e) {
            throw e.keyPath().startsWith("storage.") ? e : e.under("storage.backend_config");
        }
    }
}
