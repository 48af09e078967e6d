package io.prodigy.storage.core.layer.metrics;

import io.prodigy.storage.error.ConflictException;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.LockTimeoutException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.util.Locale;

/** How a call ended, by the error taxonomy of {@code io.prodigy.storage.error}. */
public enum Outcome {
    SUCCESS,
    /** Version conflict or stale fencing token. */
    CONFLICT,
    NOT_FOUND,
    INVALID_INPUT,
    /** Lock not held, or a blocking acquire that timed out waiting. */
    LOCK,
    /** Backend unreachable, timed out, or circuit open. */
    UNAVAILABLE,
    FULL,
    CORRUPTION,
    /** Anything outside the storage hierarchy (a bug in a backend, an {@link Error}). */
    OTHER;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The outcome of a call that threw {@code error} ({@code null} for success). */
    public static Outcome of(Throwable error) {
        if (error == null) {
            return SUCCESS;
        }
        if (error instanceof ConflictException) {
            return CONFLICT;
        }
        if (error instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (error instanceof InvalidInputException) {
            return INVALID_INPUT;
        }
        if (error instanceof LockNotHeldException || error instanceof LockTimeoutException) {
            return LOCK;
        }
        if (error instanceof StorageUnavailableException) {
            return UNAVAILABLE;
        }
        if (error instanceof StorageFullException) {
            return FULL;
        }
        if (error instanceof CorruptionException) {
            return CORRUPTION;
        }
        return OTHER;
    }

    /** Lower-case name, for metric tags. */
    public String tag() {
        return tag;
    }
}
