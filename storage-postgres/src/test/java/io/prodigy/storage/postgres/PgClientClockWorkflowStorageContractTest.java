package io.prodigy.storage.postgres;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.tck.WorkflowStorageContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WorkflowStorage contract with {@code clock: client}: expiry and store stamps follow the test's clock, so the tests that
 * move time run too. The SQL is the same as with the server clock; only the bound "now" differs.
 */
class PgClientClockWorkflowStorageContractTest extends WorkflowStorageContract {

    @RegisterExtension
    static final PgSchema PG = PgSchema.clientClock();

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return PG.open(context);
    }

    @Override
    protected UnifiedStorage reopen(UnifiedStorage previous, StorageContext context) {
        return PG.open(context);
    }
}
