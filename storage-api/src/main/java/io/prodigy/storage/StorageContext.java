package io.prodigy.storage;

import io.prodigy.storage.id.RepositoryNames;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What a provider gets besides its configuration.
 *
 * @param clock            time source for timestamps, lock leases, claims and TTLs (tests pass a controllable one)
 * @param projectDirectory the project the caller works in, or {@code null}; opening the file backend migrates legacy
 *                         {@code .prodigy/} data found there (docs/migration.md)
 */
public record StorageContext(Clock clock, Path projectDirectory) {

    public StorageContext {
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * The system clock and, as the project, the working directory's repository root (the nearest directory at or
     * above it that contains {@code .git}, else the working directory; see {@link RepositoryNames#projectRoot}), so
     * that the first open in a project with legacy {@code .prodigy/} data migrates it.
     */
    public static StorageContext system() {
        return new StorageContext(Clock.systemUTC(), RepositoryNames.projectRoot(Path.of("")));
    }

    /** The system clock and no project: nothing is migrated on open. */
    public static StorageContext withoutProject() {
        return new StorageContext(Clock.systemUTC(), null);
    }

    public StorageContext withProjectDirectory(Path dir) {
        return new StorageContext(clock, dir);
    }
}
