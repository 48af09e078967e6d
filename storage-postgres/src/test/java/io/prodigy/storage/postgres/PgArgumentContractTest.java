package io.prodigy.storage.postgres;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.ArgumentContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Argument contract against PostgreSQL (server clock), in a schema of its own. */
class PgArgumentContractTest extends ArgumentContract {

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
