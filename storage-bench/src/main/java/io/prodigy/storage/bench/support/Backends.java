package io.prodigy.storage.bench.support;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Opens the project's backends the way users get them: through {@link ServiceLoader} by provider name. Going through
 * the SPI (rather than {@code new FileStorageProvider()}) keeps this module compiling while a backend is still being
 * written, and measures exactly what a caller of the SPI gets.
 */
public final class Backends {

    /** Memory backend budget for benchmarks: far above what a trial stores, so the limit never trips. */
    private static final long MEMORY_BUDGET_BYTES = 8L << 30;

    private Backends() {}

    /** The provider called {@code name}, or an error listing the providers on the class path. */
    public static StorageProvider provider(String name) {
        List<String> seen = new ArrayList<>();
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
            seen.add(p.name());
        }
        throw new IllegalStateException("No storage provider named '" + name + "' on the class path (found " + seen
                + "). Install the backend module (mvn -q -o install -pl storage-" + name
                + " -DskipTests) and rebuild storage-bench.");
    }

    /** Configuration of the file backend rooted at {@code baseDir}, all other keys at their defaults. */
    public static StorageConfig fileConfig(Path baseDir) {
        return StorageConfig.forBackend("file").withBackendConfig(Map.of("base_dir", baseDir.toString()));
    }

    /** Configuration of the memory backend with a budget no benchmark reaches. */
    public static StorageConfig memoryConfig() {
        return StorageConfig.forBackend("memory").withBackendConfig(Map.of("max_memory", MEMORY_BUDGET_BYTES));
    }

    /** Opens the bare file backend (no cross-cutting layers). */
    public static UnifiedStorage openFile(Path baseDir) {
        return provider("file").open(fileConfig(baseDir), StorageContext.system());
    }

    /** Opens the bare memory backend (no cross-cutting layers). */
    public static UnifiedStorage openMemory() {
        return provider("memory").open(memoryConfig(), StorageContext.system());
    }

    /**
     * Opens {@code name} ({@code file} or {@code memory}); for {@code file}, {@code baseDir} is its root.
     */
    public static UnifiedStorage open(String name, Path baseDir) {
        return switch (name) {
            case "file" -> openFile(baseDir);
            case "memory" -> openMemory();
            default -> throw new IllegalArgumentException("Unknown backend '" + name + "': use file or memory");
        };
    }
}
