package io.prodigy.storage.migrate.write;

import io.prodigy.storage.id.JobRef;

/**
 * What {@link EventLogSync#sync} did to one job's log.
 *
 * @param present   source events that were already in the target at their sequence
 * @param appended  source events appended (or, in a dry run, that would be)
 * @param gapsFilled sequence numbers with no source event (purged in the source) that were reproduced in the target
 * @param conflict  why the target log could not be aligned with the source, or empty; on a conflict nothing was
 *                  written
 */
public record SyncResult(JobRef job, long present, long appended, long gapsFilled, String conflict) {

    public SyncResult {
        conflict = conflict == null ? "" : conflict;
    }

    public boolean isConflict() {
        return !conflict.isEmpty();
    }
}
