package io.prodigy.storage.memory;

import io.prodigy.storage.config.StorageConfigException;
import java.nio.file.Path;

/**
 * {@code storage.backend_config} of the memory backend (docs/configuration.md, "Memory Storage").
 *
 * <p>Bind it with {@code ConfigBinder.bind(config.backendConfig(), MemoryConfig.class, MemoryConfig.DEFAULT,
 * "storage.backend_config")}, so unknown keys and bad values fail with their full key path.
 *
 * @param maxMemory       {@code max_memory}: the most bytes of stored data (measured as the JSON size of each record)
 *                        the store holds; writes past it fail with a storage-full error. Default 104857600 (100 MB)
 * @param persistToDisk   {@code persist_to_disk}: write a snapshot on {@code flush()} and {@code close()} and load it
 *                        on open. Default false
 * @param persistencePath {@code persistence_path}: the snapshot file (or an existing directory, which then holds
 *                        {@value #SNAPSHOT_FILE_NAME}); required when {@code persist_to_disk} is true
 */
public record MemoryConfig(long maxMemory, boolean persistToDisk, Path persistencePath) {

    /** 100 MB, the default of docs/configuration.md. */
    public static final long DEFAULT_MAX_MEMORY = 104_857_600L;

    /** File name of the snapshot when {@code persistence_path} names a directory. */
    public static final String SNAPSHOT_FILE_NAME = "memory-snapshot.json";

    public static final MemoryConfig DEFAULT = new MemoryConfig(DEFAULT_MAX_MEMORY, false, null);

    public MemoryConfig {
        if (maxMemory <= 0) {
            throw StorageConfigException.invalidValue("max_memory", maxMemory,
                    "a positive whole number of bytes, for example 104857600 (100 MB)");
        }
        if (persistToDisk && persistencePath == null) {
            throw StorageConfigException.of("persistence_path", "Missing {key}: persist_to_disk is true, so set"
                    + " persistence_path to the file the snapshot is written to (for example"
                    + " ~/.prodigy/memory-snapshot.json), or set persist_to_disk to false.");
        }
    }

    /** The defaults with another memory limit. */
    public static MemoryConfig withMaxMemory(long bytes) {
        return new MemoryConfig(bytes, false, null);
    }

    /** Persistence on, with the snapshot at {@code path}. */
    public MemoryConfig persistingTo(Path path) {
        return new MemoryConfig(maxMemory, true, path);
    }

    /** The snapshot file: {@code persistencePath}, or {@value #SNAPSHOT_FILE_NAME} inside it if it is a directory. */
    Path snapshotFile() {
        if (persistencePath == null) {
            return null;
        }
        return java.nio.file.Files.isDirectory(persistencePath)
                ? persistencePath.resolve(SNAPSHOT_FILE_NAME) : persistencePath;
    }
}
