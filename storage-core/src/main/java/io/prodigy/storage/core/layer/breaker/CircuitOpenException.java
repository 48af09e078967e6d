package io.prodigy.storage.core.layer.breaker;

import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Duration;

/**
 * A call failed fast because the circuit breaker is open: the backend failed repeatedly and the breaker is giving it
 * time to recover. Retryable by the caller later ({@link #retryIn()}); the retry layer does not see it, because the
 * breaker sits outside the retry layer.
 */
public final class CircuitOpenException extends StorageUnavailableException {

    private final Duration retryIn;

    public CircuitOpenException(String message, Duration retryIn) {
        super(message);
        this.retryIn = retryIn;
    }

    /** How long until the breaker lets a probe call through (zero while a probe is already running). */
    public Duration retryIn() {
        return retryIn;
    }
}
