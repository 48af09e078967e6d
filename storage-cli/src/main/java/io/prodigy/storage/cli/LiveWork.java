package io.prodigy.storage.cli;

import io.prodigy.storage.dashboard.text.Formats;
import io.prodigy.storage.lock.LockLease;
import java.util.List;

/**
 * The guard of the record delete commands ({@code sessions delete}, {@code workflows delete},
 * {@code checkpoints delete}), modelled on {@code locks release}: a record that a running job may still write is not
 * deleted while that job holds a live lock on it, unless {@code --force}. With {@code --force} those leases are broken
 * first, so the job's fenced writes are rejected from then on instead of writing the record back.
 *
 * <p>A job is taken to work on a record when a live lock's key contains the record's id (Prodigy's lock keys name what
 * they protect, for example {@code reduce:repo/job-1}).
 */
public final class LiveWork {

    private LiveWork() {}

    /**
     * @param what the record, for messages: {@code session 's-1'}
     * @param id   the id live lock keys are searched for
     * @return the leases that were broken (empty unless {@code force})
     * @throws CommandFailedException if a live lock names {@code id} and {@code force} is not given
     */
    public static List<LockLease> checkOrBreak(CliContext ctx, String what, String id, boolean force) {
        List<LockLease> live = ctx.storage().locks().list().stream().filter(l -> l.key().contains(id)).toList();
        if (live.isEmpty()) {
            return List.of();
        }
        if (!force) {
            LockLease l = live.get(0);
            throw new CommandFailedException("Refusing to delete " + what + ": lock '" + l.key() + "' held by "
                    + (l.owner().isEmpty() ? "" : l.owner() + ", ") + "holder " + l.holder() + " is live until "
                    + Formats.time(l.expiresAt()) + " (" + Formats.age(l.expiresAt(), ctx.now()) + "), so a job may"
                    + " still be using it. If that job is gone, run again with --force (its lease is broken and its"
                    + " fenced writes are rejected from then on).");
        }
        live.forEach(l -> ctx.storage().locks().forceRelease(l.key()));
        return live;
    }
}
