package io.prodigy.storage.core.layer.timeout;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a call and gives up waiting for it after a limit. Injectable so that tests can decide when a call "took too
 * long" without waiting for real.
 *
 * <p>Contract: returns the call's result or rethrows its unchecked exception unchanged; throws
 * {@link TimeoutException} if the limit passed first. A call given up on is not interrupted: it may still finish in
 * the background (interrupting a thread that is writing through a {@code FileChannel} would close the channel). A
 * call that had not started when its caller gave up never runs.
 */
public interface TimeLimiter extends AutoCloseable {

    <T> T call(Supplier<T> task, Duration limit) throws TimeoutException;

    /** Releases threads; calls made afterwards run directly on the caller's thread, without a limit. */
    @Override
    void close();
}
