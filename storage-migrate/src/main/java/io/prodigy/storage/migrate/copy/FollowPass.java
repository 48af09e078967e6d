package io.prodigy.storage.migrate.copy;

import java.time.Duration;
import java.time.Instant;

/**
 * What one pass of a live migration copied.
 *
 * @param number         1 for the first pass after the bulk copy
 * @param cutover        whether it was a cut-over pass (after the stop signal)
 * @param startedAt      when it started
 * @param took           how long it took
 * @param events         events appended to the target
 * @param records        sessions, workflows, executions, checkpoints and DLQ items created or changed in the target
 * @param removed        records (and event logs) removed from the target because the source no longer has them
 * @param lag            how long the oldest change this pass copied had waited for it: from the change (its time in
 *                       the source, or the start of the previous pass if the record carries none or an older one) to
 *                       the end of this pass; zero if it copied nothing
 * @param claimedItems   DLQ items under a live claim in the source, seen during the pass (claims are not copied)
 */
public record FollowPass(int number, boolean cutover, Instant startedAt, Duration took, long events, long records,
        long removed, Duration lag, long claimedItems) {

    /** Whether the pass changed the target. */
    public boolean copiedAnything() {
        return events + records + removed > 0;
    }
}
