package io.prodigy.storage.file.process;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.lock.LockLease;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The victim of {@link CrashTest#acknowledgedLockGrantsAndReleasesSurviveSigkill}: grants and releases one lock in a
 * loop until it is killed. After each call returns it prints what was acknowledged and flushes: {@code G <token>} for
 * a grant, {@code R <token>} for a release.
 *
 * <p>Args: base dir, lock key.
 */
public final class LockCrashChild {

    private LockCrashChild() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (UnifiedStorage s = new FileStorageProvider().open(StorageConfig.forBackend("file")
                .withBackendOption("base_dir", Path.of(args[0]).toString()), StorageContext.system())) {
            out.println("READY");
            out.flush();
            while (true) {
                // An hour's TTL: only the dead-holder rule lets the parent take over a lease this process held.
                LockLease lease = s.locks().tryAcquire(args[1], Duration.ofHours(1))
                        .orElseThrow(() -> new IllegalStateException("the lock was refused"));
                out.println("G " + lease.fencingToken());
                out.flush();
                s.locks().release(lease);
                out.println("R " + lease.fencingToken());
                out.flush();
            }
        }
    }
}
