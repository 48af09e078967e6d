package io.prodigy.storage.file.lock;

import io.prodigy.storage.support.lease.LeaseState;
import java.time.Duration;
import java.time.Instant;

/**
 * The lease in {@code locks/{key}.lock}, as the JSON payload of the file's newest slot ({@link LockFile}; files of
 * the earlier format hold it alone). The file is never deleted: after a release it keeps the key's fencing token
 * high-water mark with {@code holder} {@code null}, so tokens never go backwards, across restarts too.
 *
 * <pre>{"key":"deploy","fencing_token":7,"holder":"3f2a…","owner":"pid 4711 on build-7","pid":4711,
 * "host":"build-7","process_started_at":"…","acquired_at":"…","ttl":"PT30S","expires_at":"…","revoked":false}</pre>
 *
 * @param holder           the live or last acquisition's id; {@code null} once released
 * @param pid              the holder's process id
 * @param host             the holder's host name
 * @param processStartedAt the holder process's start time, to tell a recycled pid from the holder
 * @param releasedAt       when it was released (or force-released), else {@code null}
 * @param revoked          whether {@code fencing_token} was revoked by a force-release or a repair (absent in files
 *                         written before it existed: {@code false})
 */
record LeaseRecord(String key, long fencingToken, String holder, String owner, Long pid, String host,
        Instant processStartedAt, Instant acquiredAt, Duration ttl, Instant expiresAt, Instant releasedAt,
        boolean revoked) {

    boolean held() {
        return holder != null && expiresAt != null && acquiredAt != null && ttl != null;
    }

    /** The row the shared lock algorithm works on. */
    LeaseState state() {
        return new LeaseState(key, fencingToken, revoked, held() ? holder : null, owner, acquiredAt, ttl, expiresAt);
    }

    /**
     * The file content for {@code row}: a new holder is stamped with this process's identity (for the dead-holder
     * check), an extended or released one keeps {@code before}'s.
     */
    static LeaseRecord of(LeaseState row, LeaseRecord before, Instant now) {
        boolean newHolder = row.holder() != null && (before == null || !row.holder().equals(before.holder()));
        if (newHolder) {
            return new LeaseRecord(row.key(), row.token(), row.holder(), row.owner(), ProcessIdentity.PID,
                    ProcessIdentity.HOST, ProcessIdentity.STARTED_AT, row.acquiredAt(), row.ttl(), row.expiresAt(),
                    null, row.revoked());
        }
        Instant releasedAt = row.holder() != null ? null
                : before != null && before.holder() == null && before.releasedAt() != null ? before.releasedAt() : now;
        return new LeaseRecord(row.key(), row.token(), row.holder(), row.owner(),
                before == null ? null : before.pid(), before == null ? null : before.host(),
                before == null ? null : before.processStartedAt(), row.acquiredAt(), row.ttl(), row.expiresAt(),
                releasedAt, row.revoked());
    }
}
