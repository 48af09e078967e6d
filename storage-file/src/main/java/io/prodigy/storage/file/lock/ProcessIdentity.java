package io.prodigy.storage.file.lock;

import io.prodigy.storage.support.lease.ThisProcess;
import java.time.Instant;
import java.util.Optional;

/**
 * This process's identity (pid, host, start time) and a liveness check for lock holders on this host, in the spirit
 * of Chronicle Queue's PID-stamped write lock: a lease whose holder process is gone can be taken over without waiting
 * for its TTL. A recycled pid is recognised by a different process start time.
 */
final class ProcessIdentity {

    static final long PID = ProcessHandle.current().pid();
    static final Instant STARTED_AT = ProcessHandle.current().info().startInstant().orElse(null);
    static final String HOST = ThisProcess.HOST;

    private ProcessIdentity() {}

    /** Whether {@code rec}'s holder is known to be dead: same host, and its pid is gone or belongs to another process. */
    static boolean holderDeadOnThisHost(LeaseRecord rec) {
        if (rec.pid() == null || rec.host() == null || !rec.host().equals(HOST)) {
            return false; // another host: only the TTL can tell
        }
        if (rec.pid() == PID) {
            return STARTED_AT != null && rec.processStartedAt() != null && !STARTED_AT.equals(rec.processStartedAt());
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(rec.pid());
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = handle.get().info().startInstant();
        return started.isPresent() && rec.processStartedAt() != null
                && !started.get().equals(rec.processStartedAt());
    }
}
