package io.prodigy.storage.cli;

import io.prodigy.storage.UnifiedStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An open storage and how it was configured.
 *
 * @param storage     the store (with the configured layers), or {@code null} when it does not exist yet and the
 *                    command asked not to create it ({@link #notCreated})
 * @param backend     the provider name
 * @param location    where the data lives, for humans: a directory, an endpoint, or "process memory"
 * @param baseDir     the file backend's base directory, or {@code null} for other backends
 * @param configFile  the config file that was read, or {@code null}
 * @param settings    every effective setting with its source (secrets already redacted)
 * @param ignored     settings that were read but left out, each with why
 * @param closeAction what closing does (tests that share one storage pass a no-op)
 */
public record OpenedStorage(
        UnifiedStorage storage, String backend, String location, Path baseDir, Path configFile,
        List<Setting> settings, List<String> ignored, Runnable closeAction) implements AutoCloseable {

    /**
     * One effective setting.
     *
     * @param key    dotted path, for example {@code storage.backend_config.base_dir}
     * @param value  the value as text (secrets masked)
     * @param source where it came from: {@code default}, {@code environment variable PRODIGY_HOME}, …
     */
    public record Setting(String key, String value, String source) {}

    public OpenedStorage {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(location, "location");
        settings = List.copyOf(settings);
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
        Objects.requireNonNull(closeAction, "closeAction");
    }

    /** An open store of which nothing was ignored. */
    public OpenedStorage(UnifiedStorage storage, String backend, String location, Path baseDir, Path configFile,
            List<Setting> settings, Runnable closeAction) {
        this(Objects.requireNonNull(storage, "storage"), backend, location, baseDir, configFile, settings, List.of(),
                closeAction);
    }

    /** The configuration of a store that does not exist yet and was not created. */
    public static OpenedStorage notCreated(String backend, String location, Path baseDir, Path configFile,
            List<Setting> settings, List<String> ignored) {
        return new OpenedStorage(null, backend, location, baseDir, configFile, settings, ignored, () -> { });
    }

    /** Whether the store exists (was opened); {@code false} for {@link #notCreated}. */
    public boolean exists() {
        return storage != null;
    }

    /** Whether what is written outlives this process (a durable backend, or memory with a disk snapshot). */
    public boolean keepsData() {
        return storage != null && storage.capabilities().contains(io.prodigy.storage.Capability.DURABLE)
                || settings.stream().anyMatch(s -> s.key().equals("storage.backend_config.persist_to_disk")
                        && s.value().equals("true"));
    }

    @Override
    public void close() {
        closeAction.run();
    }
}
