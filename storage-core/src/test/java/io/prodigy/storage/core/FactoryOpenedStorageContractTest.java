package io.prodigy.storage.core;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.core.config.ConfigLoader;
import io.prodigy.storage.tck.SessionStorageContract;
import java.nio.file.Path;
import java.util.Map;

/**
 * A store opened the common way, through {@link StorageFactory#load()} with the environment selecting the backend,
 * keeps the session contract (including fencing and the context's clock): the factory hands the context through and
 * returns a fully working store.
 */
class FactoryOpenedStorageContractTest extends SessionStorageContract {

    private static final StorageFactory FACTORY = StorageFactory.create().withConfigLoader(ConfigLoader.system()
            .withEnvironment(Map.of("PRODIGY_STORAGE_TYPE", "memory"))
            .withUserHome(Path.of("/nonexistent-home-for-tests")));

    @Override
    protected UnifiedStorage open(StorageContext context) {
        return FACTORY.withContext(context).load();
    }
}
