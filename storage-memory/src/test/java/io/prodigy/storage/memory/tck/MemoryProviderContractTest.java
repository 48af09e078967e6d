package io.prodigy.storage.memory.tck;

import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.tck.ProviderContract;

/**
 * Runs {@link ProviderContract} against the memory backend. The configuration names {@code persist_to_disk} (with its
 * default value) so that the did-you-mean test has a real key to misspell.
 */
class MemoryProviderContractTest extends ProviderContract {

    @Override
    protected StorageConfig config() {
        return StorageConfig.forBackend("memory").withBackendOption("persist_to_disk", false);
    }
}
