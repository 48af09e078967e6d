package io.prodigy.storage.core.layer.intercept;

/**
 * A cross-cutting concern around every storage call (retry, timeout, circuit breaker, metrics). The intercepting
 * store wrappers route each SPI call through a chain of these, so a concern is written once for all six stores.
 *
 * <p>Contract: call {@link Invocation#proceed()} zero or more times and return its result or throw. Exceptions of
 * the backend must reach the caller unchanged unless the interceptor's purpose is to translate them (a timeout
 * becomes a {@link io.prodigy.storage.error.StorageUnavailableException}). Implementations are thread-safe.
 */
@FunctionalInterface
public interface StorageInterceptor {

    <T> T intercept(Operation operation, Invocation<T> invocation);
}
