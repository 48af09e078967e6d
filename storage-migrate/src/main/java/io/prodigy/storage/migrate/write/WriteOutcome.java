package io.prodigy.storage.migrate.write;

/** What writing one record to a migration target did (or, in a dry run, would do). */
public enum WriteOutcome {
    /** The record did not exist and was created. */
    CREATED,
    /** An identical record was already there; nothing was written. */
    PRESENT,
    /** A partial copy from an interrupted run was there and was completed (DLQ history, event log). */
    CONTINUED,
    /**
     * The target held another version of the record, and a writer in mirroring mode
     * ({@link IdempotentWriter#mirroring}) replaced it with the source's: a live migration catching up with a change.
     */
    UPDATED,
    /** The target holds a different record under the same key; nothing was written. */
    CONFLICT
}
