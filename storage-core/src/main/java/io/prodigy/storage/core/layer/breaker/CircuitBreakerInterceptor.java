package io.prodigy.storage.core.layer.breaker;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.event.CircuitBreakerStateChangedEvent;
import io.prodigy.storage.core.layer.intercept.Invocation;
import io.prodigy.storage.core.layer.intercept.Operation;
import io.prodigy.storage.core.layer.intercept.StorageInterceptor;
import io.prodigy.storage.core.layer.metrics.StorageMetrics;
import io.prodigy.storage.error.StorageUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops hammering a backend that keeps failing.
 *
 * <p><b>States.</b> Closed: calls flow. After {@code failureThreshold} consecutive calls fail with a retryable
 * {@link StorageUnavailableException} (each after its own retries, since this layer is outside the retry layer) the
 * breaker opens: every call fails at once with a {@link CircuitOpenException} whose message says since when and for
 * how long. After {@code openDelay} the breaker is half-open and lets one probe call through; if it succeeds the
 * breaker closes, if it fails with unavailability it opens again for another {@code openDelay}. Other errors
 * (conflicts, not-found, invalid input …) prove the backend answers and count as successes.
 *
 * <p><b>Time.</b> The open delay is measured on the storage's {@link Clock} (the half-open transition is driven here,
 * not by Failsafe's internal nano timer), so tests move time instead of sleeping.
 *
 * <p>The state machine is Failsafe's {@link CircuitBreaker}, used standalone (permit, then record the outcome).
 */
public final class CircuitBreakerInterceptor implements StorageInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakerInterceptor.class);

    /** Failsafe's own open delay; effectively never, because {@link #maybeHalfOpen()} decides by the clock. */
    private static final Duration FAILSAFE_DELAY = Duration.ofDays(36_500);

    private final CircuitBreaker<Object> breaker;
    private final Duration openDelay;
    private final Clock clock;
    private final StorageMetrics metrics;
    private final String backendType;
    /** Unavailable calls in a row; any other outcome resets it. Counted here so messages survive state changes. */
    private final AtomicLong consecutiveFailures = new AtomicLong();
    private volatile Instant openedAt;
    private volatile long failuresWhenOpened;
    private volatile String lastError;

    public CircuitBreakerInterceptor(int failureThreshold, Duration openDelay, Clock clock, StorageMetrics metrics,
            String backendType) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failureThreshold must be positive, was " + failureThreshold);
        }
        if (openDelay == null || openDelay.isNegative()) {
            throw new IllegalArgumentException("openDelay must not be negative");
        }
        this.openDelay = openDelay;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.backendType = backendType;
        this.breaker = CircuitBreaker.builder()
                .handleIf(CircuitBreakerInterceptor::isUnavailability)
                .withFailureThreshold(failureThreshold)
                .withSuccessThreshold(1)
                .withDelay(FAILSAFE_DELAY)
                .onOpen(this::opened)
                .onHalfOpen(e -> LOG.info("Storage backend '{}': circuit half-open, letting one probe call through",
                        backendType))
                .onClose(this::closed)
                .build();
    }

    static boolean isUnavailability(Throwable error) {
        return error instanceof StorageUnavailableException u && u.isRetryable();
    }

    @Override
    public <T> T intercept(Operation operation, Invocation<T> invocation) {
        if (consecutiveFailures.get() == 0 && breaker.isClosed()) {
            // The hot path: closed, and the last outcome recorded was a success. Another success would change
            // nothing Failsafe decides on (it opens after `threshold` failures in a row, and a success already ends
            // the row), so a successful call touches no shared state at all: two volatile reads.
            try {
                return invocation.proceed();
            } catch (RuntimeException e) {
                if (isUnavailability(e)) {
                    recordUnavailability(e);
                }
                throw e;
            }
        }
        maybeHalfOpen();
        if (!breaker.tryAcquirePermit()) {
            metrics.of(operation).recordRejection();
            BreakerState s = state();
            throw new CircuitOpenException(s.failFastMessage(backendType), s.retryIn());
        }
        try {
            T result = invocation.proceed();
            consecutiveFailures.set(0);
            breaker.recordSuccess();
            return result;
        } catch (RuntimeException e) {
            if (isUnavailability(e)) {
                recordUnavailability(e);
            } else {
                consecutiveFailures.set(0);
                breaker.recordException(e); // not handled: Failsafe counts it as a success
            }
            throw e;
        } catch (Error e) {
            consecutiveFailures.set(0);
            breaker.recordSuccess();
            throw e;
        }
    }

    private void recordUnavailability(RuntimeException e) {
        // Before recording: recording may open the breaker, and the open listener reads these.
        lastError = e.getMessage();
        consecutiveFailures.incrementAndGet();
        breaker.recordException(e);
    }

    private void maybeHalfOpen() {
        Instant since = openedAt;
        if (since != null && breaker.isOpen() && !clock.instant().isBefore(since.plus(openDelay))) {
            breaker.halfOpen();
        }
    }

    private void opened(CircuitBreakerStateChangedEvent event) {
        openedAt = clock.instant();
        failuresWhenOpened = consecutiveFailures.get();
        LOG.warn("Storage backend '{}' is unavailable: circuit opened after {} failures (last: {}). Calls fail fast"
                + " for {}s, then one probe call is let through.", backendType, failuresWhenOpened, lastError,
                openDelay.toSeconds());
    }

    private void closed(CircuitBreakerStateChangedEvent event) {
        LOG.info("Storage backend '{}' answered again: circuit closed", backendType);
    }

    /** The breaker's state now (an open breaker whose delay has passed reports half-open). */
    public BreakerState state() {
        maybeHalfOpen();
        return switch (breaker.getState()) {
            case CLOSED -> new BreakerState(BreakerState.State.CLOSED, consecutiveFailures.get(), openedAt,
                    Duration.ZERO, lastError);
            case HALF_OPEN -> new BreakerState(BreakerState.State.HALF_OPEN, failuresWhenOpened, openedAt,
                    Duration.ZERO, lastError);
            case OPEN -> {
                // openedAt is set by the open listener, a moment after the state changed.
                Instant since = openedAt == null ? clock.instant() : openedAt;
                Duration left = Duration.between(clock.instant(), since.plus(openDelay));
                yield new BreakerState(BreakerState.State.OPEN, failuresWhenOpened, since,
                        left.isNegative() ? Duration.ZERO : left, lastError);
            }
        };
    }
}
