package io.prodigy.storage.error;

/**
 * The write does not fit: disk full, or a configured size bound (such as the memory backend's {@code max_memory}) is
 * reached. Nothing already stored was lost, and the failed write changed nothing.
 */
public class StorageFullException extends StorageException {

    public StorageFullException(String message) {
        super(message);
    }

    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
