package io.prodigy.storage;

import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.StorageException;
import java.util.Set;

/**
 * A backend, found through {@link java.util.ServiceLoader}. Register the implementation in
 * {@code META-INF/services/io.prodigy.storage.StorageProvider}; a jar on the class path is enough, no change to this
 * project is needed.
 *
 * <p>The factory resolves {@code storage.backend} by {@link #name()} (case-insensitive), then by the provider's fully
 * qualified class name.
 */
public interface StorageProvider {

    /** Short name users write in {@code storage.backend}, for example {@code file}. Lower case. */
    String name();

    /** One line describing the backend, shown when listing providers. */
    default String description() {
        return name();
    }

    Set<Capability> capabilities();

    /**
     * Opens the store. The provider binds {@link StorageConfig#backendConfig()} to its own typed record with
     * {@link io.prodigy.storage.config.ConfigBinder}, so unknown keys and bad values fail with the key path.
     *
     * <p>If opening fails part-way, the provider closes what it opened before throwing.
     *
     * @throws StorageException for bad configuration ({@code InvalidInputException}) or an unreachable backend
     */
    UnifiedStorage open(StorageConfig config, StorageContext context);
}
