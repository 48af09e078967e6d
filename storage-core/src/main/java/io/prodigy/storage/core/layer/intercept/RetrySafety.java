package io.prodigy.storage.core.layer.intercept;

/**
 * Whether repeating an operation after an attempt whose outcome is unknown (the backend committed it but the answer
 * was lost, or a timed-out attempt finished in the background) can apply it twice. An attempt that failed
 * {@link io.prodigy.storage.error.FailureOutcome#NOT_APPLIED} is always safe to repeat, whatever this says.
 */
public enum RetrySafety {
    /**
     * Repeating cannot apply the change twice: reads, conditional writes (a create or a revision-checked update that
     * repeats surfaces a {@link io.prodigy.storage.error.VersionConflictException} instead of a duplicate), deletes,
     * upserts by id, and sets to an absolute value.
     */
    SAFE,
    /**
     * Safe only if the backend declares {@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND}: an event append,
     * which such a backend de-duplicates by event id.
     */
    SAFE_IF_IDEMPOTENT_APPEND,
    /**
     * Repeating after an unknown outcome may apply the change twice (a lock granted to a lease nobody holds, items
     * claimed twice), so it is retried only after a failure that was not applied.
     */
    UNSAFE
}
