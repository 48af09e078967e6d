package io.prodigy.storage.postgres;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.CheckpointStorageContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CheckpointStorage contract against PostgreSQL (server clock), in a schema of its own. */
class PgCheckpointStorageContractTest extends CheckpointStorageContract {

    @RegisterExtension
    static final PgSchema PG = PgSchema.serverClock();

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return PG.open(context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return PG.open(context);
    }
}
