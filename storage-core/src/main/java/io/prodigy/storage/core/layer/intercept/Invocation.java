package io.prodigy.storage.core.layer.intercept;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One call on its way to the backend. {@link #proceed()} runs the rest of the chain; an interceptor may call it more
 * than once (retry) or on another thread (timeout), so it must not depend on the calling thread.
 *
 * @param <T> the call's result
 */
public final class Invocation<T> {

    private final Supplier<T> body;
    private final Duration extraTime;

    private Invocation(Supplier<T> body, Duration extraTime) {
        this.body = Objects.requireNonNull(body, "body");
        this.extraTime = Objects.requireNonNull(extraTime, "extraTime");
    }

    /** A call that gets the plain timeout. */
    public static <T> Invocation<T> of(Supplier<T> body) {
        return new Invocation<>(body, Duration.ZERO);
    }

    /**
     * A call that legitimately waits up to {@code extraTime} on top of its work (a lock acquire's {@code maxWait}),
     * so the timeout layer allows {@code timeout + extraTime}.
     */
    public static <T> Invocation<T> waitingUpTo(Duration extraTime, Supplier<T> body) {
        return new Invocation<>(body, extraTime == null || extraTime.isNegative() ? Duration.ZERO : extraTime);
    }

    /** Runs the rest of the chain. */
    public T proceed() {
        return body.get();
    }

    /** Time the call may wait beyond {@code storage.timeout}; zero for most calls. */
    public Duration extraTime() {
        return extraTime;
    }

    /** The same allowance around another body (used by the chain to wrap the next interceptor). */
    <U> Invocation<U> wrap(Supplier<U> next) {
        return new Invocation<>(next, extraTime);
    }
}
