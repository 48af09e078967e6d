package io.prodigy.storage.core;

import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.tck.ProviderContract;

/**
 * The TCK's provider contract against the test-only backend that this project knows only through
 * {@code META-INF/services}: a third-party jar plugs in and behaves like a provider must.
 */
class ThirdPartyProviderContractTest extends ProviderContract {

    @Override
    protected StorageConfig config() {
        return StorageConfig.forBackend("third-party").withBackendOption("endpoint", "https://api.example");
    }
}
