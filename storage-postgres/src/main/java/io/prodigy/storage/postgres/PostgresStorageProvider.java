package io.prodigy.storage.postgres;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.InvalidInputException;
import java.util.Set;

/**
 * Provider of the {@code postgres} backend, registered in {@code META-INF/services/io.prodigy.storage.StorageProvider}.
 * Binds {@code storage.backend_config} to {@link PostgresConfig}; {@code connection_pool_size} sizes the pool and
 * {@code timeout} bounds waiting for a connection, connecting and each statement. Users may also write
 * {@code backend: postgresql} (see {@link PostgresqlAlias}).
 */
public final class PostgresStorageProvider implements StorageProvider {

    @Override
    public String name() {
        return PostgresStorage.BACKEND;
    }

    @Override
    public String description() {
        return "PostgreSQL: one schema per store, pooled connections, database-time leases, for many hosts";
    }

    @Override
    public Set<Capability> capabilities() {
        return PostgresStorage.PROVIDER_CAPABILITIES;
    }

    @Override
    public UnifiedStorage open(StorageConfig config, StorageContext context) {
        if (config == null || context == null) {
            throw new InvalidInputException("Opening PostgreSQL storage needs a StorageConfig and a StorageContext.");
        }
        PostgresConfig pg = PostgresConfig.bind(config.backendConfig());
        PgClient client = PgClient.open(pg, config.connectionPoolSize(), config.timeout());
        return new PostgresStorage(client, true, context);
    }
}
