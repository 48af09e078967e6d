package io.prodigy.storage.migrate.prodigy;

import java.nio.file.Path;
import java.time.Instant;

/**
 * A resume lock of the original tool ({@code resume_locks/{id}.lock}). Locks are never imported: a lease belongs to a
 * running process of the store that granted it. The finding says whether the resume it guarded is still running.
 *
 * @param id         the session or job id the lock guards (the file name)
 * @param pid        the recorded process id, or {@code null} if unreadable
 * @param host       the recorded host name, or {@code null}
 * @param acquiredAt when it was taken, or {@code null}
 */
public record ResumeLockFinding(String id, Path file, Long pid, String host, Instant acquiredAt, Status status) {

    public enum Status {
        /** Its process runs on this host: a resume is in progress and may still change the data. */
        ACTIVE,
        /** Its process is gone (killed before it could delete the file): the lock is stale. */
        STALE,
        /** Taken on another host; its process cannot be checked from here. */
        OTHER_HOST,
        /** The file is empty or not a lock (written while the holder was creating it, or damaged). */
        UNREADABLE
    }

    public String describe() {
        return switch (status) {
            case ACTIVE -> "resume of " + id + " is in progress (pid " + pid + " on " + host + ", since " + acquiredAt
                    + "); its data may still change: import again when it has finished";
            case STALE -> "stale resume lock for " + id + " (pid " + pid + " on " + host
                    + " is no longer running); not imported as held";
            case OTHER_HOST -> "resume lock for " + id + " held by pid " + pid + " on another host (" + host
                    + "); cannot tell from here whether it is still running; not imported";
            case UNREADABLE -> "unreadable resume lock for " + id + " (empty or damaged file); not imported";
        };
    }
}
