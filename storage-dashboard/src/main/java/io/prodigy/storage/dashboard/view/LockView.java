package io.prodigy.storage.dashboard.view;

import io.prodigy.storage.lock.LockLease;
import java.time.Duration;
import java.time.Instant;

/** A lease as {@code locks list --json} prints it, plus how long it has left when it was read. */
public record LockView(String key, String holder, String owner, Instant acquiredAt, Duration ttl, Instant expiresAt,
        long fencingToken, Duration timeLeft) {

    public static LockView of(LockLease l, Instant now) {
        Duration left = Duration.between(now, l.expiresAt());
        return new LockView(l.key(), l.holder(), l.owner(), l.acquiredAt(), l.ttl(), l.expiresAt(), l.fencingToken(),
                left.isNegative() ? Duration.ZERO : left);
    }
}
