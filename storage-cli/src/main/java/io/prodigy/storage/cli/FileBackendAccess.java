package io.prodigy.storage.cli;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.core.layer.LayeredStorage;
import io.prodigy.storage.core.layer.StorageLayers;
import io.prodigy.storage.file.FileStorage;
import java.util.Optional;

/**
 * Reaches the file backend's own API (statistics, retention with archiving, layout version) behind the cross-cutting
 * layers. Maintenance calls go to the backend directly on purpose: they are operator actions that should neither be
 * retried nor served from a cache.
 */
public final class FileBackendAccess {

    private FileBackendAccess() {}

    public static Optional<FileStorage> of(UnifiedStorage storage) {
        if (storage instanceof FileStorage file) {
            return Optional.of(file);
        }
        return StorageLayers.layersOf(storage).map(LayeredStorage::backend)
                .filter(FileStorage.class::isInstance).map(FileStorage.class::cast);
    }
}
