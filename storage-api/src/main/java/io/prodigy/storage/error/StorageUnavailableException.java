package io.prodigy.storage.error;

/**
 * The backend could not be reached or did not answer in time (connection refused, pool exhausted, timeout, circuit
 * open). Retryable: the same call may succeed later. A timed-out call left no half-applied change.
 */
public class StorageUnavailableException extends StorageException {

    public StorageUnavailableException(String message) {
        super(message);
    }

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
