package io.prodigy.storage.event;

/**
 * A live subscription. Closing it stops delivery; after {@code close} returns the handler is not called again.
 */
public interface EventSubscription extends AutoCloseable {

    /** Sequence of the last event handed to the handler (or the starting point if none yet). Persist it to resume. */
    long lastDeliveredSequence();

    /** Whether the subscription is still delivering. It stops on {@link #close()} or if the handler throws. */
    boolean isActive();

    @Override
    void close();
}
