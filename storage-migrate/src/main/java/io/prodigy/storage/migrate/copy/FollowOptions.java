package io.prodigy.storage.migrate.copy;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link StorageMigrator#follow} runs.
 *
 * @param batchSize     events per append (at least 1)
 * @param pollInterval  the pause between the end of one pass and the start of the next (positive); a pass reads
 *                      every record listing of both stores a page at a time and only the new events, so a short
 *                      interval lowers the lag at the cost of reads
 * @param cutoverRounds how many catch-up passes the cut-over may take (at least 1): it verifies after each and stops
 *                      at the first that leaves the target mirroring the source. More than one helps when the last
 *                      writers are still finishing as the stop signal fires
 * @param progress      receives the bulk copy's progress
 * @param passes        told about every pass, on the migrating thread
 * @param mirrorTarget  whether the target may start with records the source does not have; the passes delete them
 *                      (the target is made to mirror the source). Off by default: such a target is refused before
 *                      anything is written, because it may hold data of its own. Turn it on to resume an interrupted
 *                      live migration whose source deleted records meanwhile
 */
public record FollowOptions(int batchSize, Duration pollInterval, int cutoverRounds, ProgressListener progress,
        PassListener passes, boolean mirrorTarget) {

    /** Batches of 500 events, a pass every second, up to 3 cut-over rounds, a target without strangers. */
    public static final FollowOptions DEFAULT = new FollowOptions(500, Duration.ofSeconds(1), 3, ProgressListener.NONE,
            PassListener.NONE, false);

    /** Receives a {@link FollowPass} after every pass. Keep it fast; an exception stops the migration. */
    @FunctionalInterface
    public interface PassListener {
        PassListener NONE = p -> { };

        void onPass(FollowPass pass);
    }

    public FollowOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
        if (cutoverRounds < 1) {
            throw new IllegalArgumentException("cutoverRounds must be at least 1, was " + cutoverRounds);
        }
        progress = Objects.requireNonNullElse(progress, ProgressListener.NONE);
        passes = Objects.requireNonNullElse(passes, PassListener.NONE);
    }

    public FollowOptions withPollInterval(Duration interval) {
        return new FollowOptions(batchSize, interval, cutoverRounds, progress, passes, mirrorTarget);
    }

    public FollowOptions withBatchSize(int size) {
        return new FollowOptions(size, pollInterval, cutoverRounds, progress, passes, mirrorTarget);
    }

    public FollowOptions withCutoverRounds(int rounds) {
        return new FollowOptions(batchSize, pollInterval, rounds, progress, passes, mirrorTarget);
    }

    public FollowOptions withProgress(ProgressListener listener) {
        return new FollowOptions(batchSize, pollInterval, cutoverRounds, listener, passes, mirrorTarget);
    }

    public FollowOptions withPasses(PassListener listener) {
        return new FollowOptions(batchSize, pollInterval, cutoverRounds, progress, listener, mirrorTarget);
    }

    public FollowOptions withMirrorTarget(boolean on) {
        return new FollowOptions(batchSize, pollInterval, cutoverRounds, progress, passes, on);
    }

    /** The bulk copy that starts a live migration: forced (writers hold leases), verified only at the cut-over. */
    CopyOptions bulkCopy() {
        return CopyOptions.DEFAULT.withBatchSize(batchSize).withForce(true).withVerify(false).withProgress(progress);
    }
}
