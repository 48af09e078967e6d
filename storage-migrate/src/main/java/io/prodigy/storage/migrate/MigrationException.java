package io.prodigy.storage.migrate;

import io.prodigy.storage.error.StorageException;

/**
 * A migration (legacy move, import or backend copy) could not finish. The message says which step failed, on which
 * records, what state the source and target were left in, and what to do next.
 *
 * <p>Retryable only when the underlying cause is (for example the target was briefly unavailable): every migration
 * in this module can be re-run safely, because re-runs skip what is already in place.
 */
public class MigrationException extends StorageException {

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return getCause() instanceof StorageException se && se.isRetryable();
    }
}
