package io.prodigy.storage.memory;

import io.prodigy.storage.error.StorageUnavailableException;

/**
 * A call reached a memory storage after {@code close()}. Reported as "unavailable" (the store cannot serve it), but
 * not retryable: the same call on the same closed instance can never succeed. Open the storage again.
 */
public final class StorageClosedException extends StorageUnavailableException {

    StorageClosedException() {
        super("Memory storage is closed: it cannot serve calls after close(). Open a new storage with"
                + " StorageFactory (with persist_to_disk on, it reloads the snapshot written at close).");
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
