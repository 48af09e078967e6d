package io.prodigy.storage.error;

import java.util.Objects;

/**
 * The backend could not be reached or did not answer in time (connection refused, pool exhausted, timeout, circuit
 * open, a server shutting down). Retryable: the same call may succeed later.
 *
 * <p>Whether the failed call was applied is {@link #outcome()}: refused before the request left (connection
 * refused, pool exhausted, circuit open, a serialization failure the server rolled back, a 503 before the body) is
 * {@link FailureOutcome#NOT_APPLIED}; a timeout or a reply lost after the request was sent is
 * {@link FailureOutcome#UNKNOWN} — the change may have been applied in full, never in part.
 */
public class StorageUnavailableException extends StorageException {

    private final FailureOutcome outcome;

    /** The backend refused or could not be reached; nothing was applied. */
    public StorageUnavailableException(String message) {
        this(message, null, FailureOutcome.NOT_APPLIED);
    }

    /** The backend refused or could not be reached; nothing was applied. */
    public StorageUnavailableException(String message, Throwable cause) {
        this(message, cause, FailureOutcome.NOT_APPLIED);
    }

    public StorageUnavailableException(String message, Throwable cause, FailureOutcome outcome) {
        super(message, cause);
        this.outcome = Objects.requireNonNull(outcome, "outcome");
    }

    /** The request may have reached the backend and been applied: a timeout or a lost reply. */
    public static StorageUnavailableException outcomeUnknown(String message, Throwable cause) {
        return new StorageUnavailableException(message, cause, FailureOutcome.UNKNOWN);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }

    @Override
    public FailureOutcome outcome() {
        return outcome;
    }
}
