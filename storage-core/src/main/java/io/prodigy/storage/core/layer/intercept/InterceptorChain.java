package io.prodigy.storage.core.layer.intercept;

import java.util.List;

/**
 * Interceptors applied in list order: the first one is outermost (it sees the call first and the result last).
 * Immutable and thread-safe.
 */
public final class InterceptorChain {

    private final StorageInterceptor[] interceptors;

    private InterceptorChain(List<StorageInterceptor> interceptors) {
        this.interceptors = interceptors.toArray(StorageInterceptor[]::new);
    }

    public static InterceptorChain of(List<StorageInterceptor> interceptors) {
        return new InterceptorChain(List.copyOf(interceptors));
    }

    public static InterceptorChain of(StorageInterceptor... interceptors) {
        return of(List.of(interceptors));
    }

    /** Runs {@code invocation} through every interceptor. */
    public <T> T call(Operation operation, Invocation<T> invocation) {
        return invocation.start(interceptors, operation);
    }

    public boolean isEmpty() {
        return interceptors.length == 0;
    }
}
