package io.prodigy.storage.postgres;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.tck.ProviderContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider contract (with {@code clock: client}, where the storage declares every capability the provider does): ServiceLoader finds "postgres", config errors carry key paths, declared capabilities hold. */
class PgProviderContractTest extends ProviderContract {

    @RegisterExtension
    static final PgSchema PG = PgSchema.clientClock();

    @Override
    protected StorageConfig config() {
        return PG.storageConfig();
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return provider().open(config(), context);
    }
}
