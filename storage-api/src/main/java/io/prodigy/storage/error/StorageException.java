package io.prodigy.storage.error;

/**
 * Root of every error the storage layer throws. Unchecked, so that callers handle the kinds they care about and let
 * the rest propagate.
 *
 * <p>Every subclass states whether retrying the same operation can succeed ({@link #isRetryable()}). The retry layer
 * retries only retryable errors; conflicts, missing records and invalid input are never retried, because repeating the
 * call cannot change the outcome.
 *
 * <p>Every error also says what the failed call did to the store ({@link #outcome()}): by default nothing
 * ({@link FailureOutcome#NOT_APPLIED}); only an error raised after the request may have reached the backend (a
 * timeout, a lost reply) says {@link FailureOutcome#UNKNOWN}.
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

    /**
     * What the failed call did to the store. {@link FailureOutcome#NOT_APPLIED} unless a subclass knows the request
     * may have been applied (see {@link StorageUnavailableException#outcomeUnknown(String, Throwable)}).
     */
    public FailureOutcome outcome() {
        return FailureOutcome.NOT_APPLIED;
    }
}
