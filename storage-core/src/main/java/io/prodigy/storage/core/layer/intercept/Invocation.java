package io.prodigy.storage.core.layer.intercept;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One call on its way to the backend. {@link #proceed()} runs the rest of the chain; an interceptor may call it more
 * than once (retry). To proceed on another thread (timeout), an interceptor proceeds through {@link #forked()}, a
 * copy that thread owns, so that an attempt given up on cannot disturb the next one.
 *
 * <p>One object per call travels the whole chain: the chain does not wrap it once per interceptor, so a call
 * allocates nothing in the layers beyond it (and the body it carries).
 *
 * @param <T> the call's result
 */
public final class Invocation<T> {

    private final Supplier<T> body;
    private final Duration extraTime;
    /** The chain running this call, and the position in it of the interceptor a {@link #proceed()} runs next. */
    private StorageInterceptor[] chain;
    private Operation operation;
    private int next;

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

    /**
     * Runs the rest of the chain: the next interceptor, or the body once every interceptor has proceeded. Returns
     * with the position restored, so the same interceptor may proceed again.
     */
    public T proceed() {
        int at = next;
        if (chain == null || at == chain.length) {
            return body.get();
        }
        next = at + 1;
        try {
            return chain[at].intercept(operation, this);
        } finally {
            next = at;
        }
    }

    /** A copy at the same position, for proceeding on another thread. */
    public Invocation<T> forked() {
        Invocation<T> copy = new Invocation<>(body, extraTime);
        copy.chain = chain;
        copy.operation = operation;
        copy.next = next;
        return copy;
    }

    /** Time the call may wait beyond {@code storage.timeout}; zero for most calls. */
    public Duration extraTime() {
        return extraTime;
    }

    /** Starts the call through {@code interceptors} (used once per call by {@link InterceptorChain}). */
    T start(StorageInterceptor[] interceptors, Operation op) {
        this.chain = interceptors;
        this.operation = op;
        this.next = 0;
        return proceed();
    }
}
