package io.prodigy.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What a provider gets besides its configuration.
 *
 * @param clock            time source for timestamps, lock leases, claims and TTLs (tests pass a controllable one)
 * @param projectDirectory the project the caller works in, or {@code null}; the file backend uses it to find legacy
 *                         {@code .prodigy/} data to migrate
 */
public record StorageContext(Clock clock, Path projectDirectory) {

    public StorageContext {
        Objects.requireNonNull(clock, "clock");
    }

    public static StorageContext system() {
        return new StorageContext(Clock.systemUTC(), null);
    }

    public StorageContext withProjectDirectory(Path dir) {
        return new StorageContext(clock, dir);
    }
}
