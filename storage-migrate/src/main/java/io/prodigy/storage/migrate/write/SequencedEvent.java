package io.prodigy.storage.migrate.write;

import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import java.util.Objects;

/**
 * An event to place at a given sequence of a target job's log.
 *
 * @param sequence the sequence it must get in the target (its sequence in the source store, or its position in an
 *                 imported file set)
 * @param event    the event; its timestamp must be set, so the target does not stamp it with its own clock
 * @param origin   where it came from, for the caller's bookkeeping (a file and line, a source record); may be null
 */
public record SequencedEvent(long sequence, NewEvent event, Object origin) {

    public SequencedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(event.timestamp(), "event timestamp");
        if (sequence <= 0) {
            throw new IllegalArgumentException("sequence must be positive, was " + sequence);
        }
    }

    /** The event as another store holds it, to be placed at the same sequence. */
    public static SequencedEvent of(EventRecord stored) {
        return new SequencedEvent(stored.sequence(), new NewEvent(stored.id(), stored.timestamp(),
                stored.eventType(), stored.data(), stored.correlationId(), stored.agentId()), stored);
    }
}
