package io.prodigy.storage.error;

/**
 * Stored data cannot be read back as written (a garbled record, an unknown layout version). The message names the
 * path or key and, where known, the line. Not retryable; the rest of the store stays usable.
 */
public class CorruptionException extends StorageException {

    public CorruptionException(String message) {
        super(message);
    }

    public CorruptionException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
