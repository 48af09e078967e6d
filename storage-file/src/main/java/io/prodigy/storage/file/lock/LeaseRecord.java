package io.prodigy.storage.file.lock;

import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import java.time.Instant;

/**
 * The content of {@code locks/{key}.lock}. The file is never deleted: after a release it keeps the key's fencing
 * token high-water mark with {@code holder} {@code null}, so tokens never go backwards, across restarts too.
 *
 * <pre>{"key":"deploy","fencing_token":7,"holder":"3f2a…","owner":"pid 4711 on build-7","pid":4711,
 * "host":"build-7","process_started_at":"…","acquired_at":"…","ttl":"PT30S","expires_at":"…"}</pre>
 *
 * @param holder           the live or last acquisition's id; {@code null} once released
 * @param pid              the holder's process id
 * @param host             the holder's host name
 * @param processStartedAt the holder process's start time, to tell a recycled pid from the holder
 * @param releasedAt       when it was released (or force-released), else {@code null}
 */
record LeaseRecord(String key, long fencingToken, String holder, String owner, Long pid, String host,
        Instant processStartedAt, Instant acquiredAt, Duration ttl, Instant expiresAt, Instant releasedAt) {

    boolean held() {
        return holder != null && expiresAt != null && acquiredAt != null && ttl != null;
    }

    LockLease toLease() {
        return new LockLease(key, holder, owner, acquiredAt, ttl, expiresAt, fencingToken);
    }

    LeaseRecord released(Instant at) {
        return new LeaseRecord(key, fencingToken, null, owner, pid, host, processStartedAt, acquiredAt, ttl,
                expiresAt, at);
    }

    LeaseRecord extended(Duration newTtl, Instant now) {
        return new LeaseRecord(key, fencingToken, holder, owner, pid, host, processStartedAt, acquiredAt, newTtl,
                now.plus(newTtl), null);
    }
}
