package io.prodigy.storage.file.lock;

import java.nio.file.Path;
import java.time.Instant;

/** Opens the lock repair's token rule to tests in other packages. */
public final class LockRepairAccess {

    private LockRepairAccess() {}

    public static long repairedToken(Path file, Instant now) {
        return FileLeaseStore.repairedToken(file, now);
    }
}
