package io.prodigy.storage.event;

import io.prodigy.storage.id.JobRef;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an append stored.
 *
 * @param job           the job appended to
 * @param firstSequence sequence of the first event this append stored (0 if it stored nothing)
 * @param lastSequence  sequence of the last event this append stored; if it stored nothing, the job's last sequence
 * @param appended      how many events this append stored
 * @param duplicates    how many events of the batch it did not store because an event with the same id was already
 *                      stored (earlier, or earlier in the same batch); only on backends with
 *                      {@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND}
 * @param alreadyStored for each distinct id of the batch that this append did not store, the sequence the event with
 *                      that id is stored at, in batch order; so a retrying caller learns where all its events are.
 *                      Empty on backends without {@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND}
 */
public record AppendResult(
        JobRef job, long firstSequence, long lastSequence, int appended, int duplicates,
        Map<String, Long> alreadyStored) {

    public AppendResult {
        alreadyStored = alreadyStored == null || alreadyStored.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(alreadyStored));
    }

    /** A result without the positions of already stored events (as before they were reported). */
    public AppendResult(JobRef job, long firstSequence, long lastSequence, int appended, int duplicates) {
        this(job, firstSequence, lastSequence, appended, duplicates, Map.of());
    }
}
