package io.prodigy.storage.postgres;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import java.util.Set;

/**
 * {@code backend: postgresql}, the database's own name, for the same backend as {@code postgres}: the factory looks
 * providers up by name, so the alias is a second registered provider that delegates. The storage it opens reports
 * {@code postgres}.
 */
public final class PostgresqlAlias implements StorageProvider {

    private final PostgresStorageProvider delegate = new PostgresStorageProvider();

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String description() {
        return "Alias of postgres";
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public UnifiedStorage open(StorageConfig config, StorageContext context) {
        return delegate.open(config, context);
    }
}
