package io.prodigy.storage.error;

/**
 * The call's arguments are not acceptable (a bad id, an empty batch where one is required, an unwritable directory, a
 * bad configuration value). Rejected before anything changed. Not retryable.
 */
public class InvalidInputException extends StorageException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
