package io.prodigy.storage.error;

/**
 * Root of every error the storage layer throws. Unchecked, so that callers handle the kinds they care about and let
 * the rest propagate.
 *
 * <p>Every subclass states whether retrying the same operation can succeed ({@link #isRetryable()}). The retry layer
 * retries only retryable errors; conflicts, missing records and invalid input are never retried, because repeating the
 * call cannot change the outcome.
 *
 * <p>Messages follow one rule: say what failed, on which key or path, and what to do about it.
 */
public abstract class StorageException extends RuntimeException {

    protected StorageException(String message) {
        super(message);
    }

    protected StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether repeating the same call, unchanged, may succeed. */
    public abstract boolean isRetryable();
}
