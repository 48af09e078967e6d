package io.prodigy.storage.cli;

import io.prodigy.storage.UnifiedStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An open storage and how it was configured.
 *
 * @param storage     the store (with the configured layers)
 * @param backend     the provider name
 * @param location    where the data lives, for humans: a directory, an endpoint, or "process memory"
 * @param baseDir     the file backend's base directory, or {@code null} for other backends
 * @param configFile  the config file that was read, or {@code null}
 * @param settings    every effective setting with its source (secrets already redacted)
 * @param closeAction what closing does (tests that share one storage pass a no-op)
 */
public record OpenedStorage(
        UnifiedStorage storage, String backend, String location, Path baseDir, Path configFile,
        List<Setting> settings, Runnable closeAction) implements AutoCloseable {

    /**
     * One effective setting.
     *
     * @param key    dotted path, for example {@code storage.backend_config.base_dir}
     * @param value  the value as text (secrets masked)
     * @param source where it came from: {@code default}, {@code environment variable PRODIGY_HOME}, …
     */
    public record Setting(String key, String value, String source) {}

    public OpenedStorage {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(location, "location");
        settings = List.copyOf(settings);
        Objects.requireNonNull(closeAction, "closeAction");
    }

    @Override
    public void close() {
        closeAction.run();
    }
}
