package io.prodigy.storage.core.layer.breaker;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The circuit breaker at a point in time.
 *
 * @param state          closed (calls flow), open (calls fail fast) or half-open (one probe call is let through)
 * @param failures       failures counted in the current state (for an open breaker: those that opened it)
 * @param openedAt       when it last opened, or {@code null} if it never did
 * @param retryIn        for an open breaker, the time until a probe is let through; zero otherwise
 * @param lastError      message of the last failure that counted, or {@code null}
 */
public record BreakerState(State state, long failures, Instant openedAt, Duration retryIn, String lastError) {

    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN;

        /** {@code closed}, {@code open} or {@code half_open}, for health details and metrics. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a call rejected in this state is told, for example {@code Storage backend 'file' is unavailable (circuit
     * open after 5 failures); retrying in 8s. Last error: …}.
     */
    public String failFastMessage(String backendType) {
        String head = "Storage backend '" + backendType + "' is unavailable (circuit open after " + failures
                + (failures == 1 ? " failure); " : " failures); ");
        String when = state == State.OPEN
                ? "retrying in " + ceilSeconds(retryIn) + "s"
                : "a probe call is checking whether it is back";
        return head + when + (lastError == null ? "" : ". Last error: " + lastError);
    }

    private static long ceilSeconds(Duration d) {
        return d.getNano() > 0 ? d.getSeconds() + 1 : d.getSeconds();
    }
}
