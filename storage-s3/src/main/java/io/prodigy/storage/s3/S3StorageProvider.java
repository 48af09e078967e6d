package io.prodigy.storage.s3;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.InvalidInputException;
import java.util.List;
import java.util.Set;

/**
 * Provider of the {@code s3} backend, registered in {@code META-INF/services/io.prodigy.storage.StorageProvider}.
 * Binds {@code storage.backend_config} to {@link S3Config}; {@code storage.timeout} bounds each S3 call (all its
 * attempts), {@code storage.retry_policy} drives the SDK's retries and {@code storage.connection_pool_size} the HTTP
 * connections.
 */
public final class S3StorageProvider implements StorageProvider {

    @Override
    public String name() {
        return S3Storage.BACKEND;
    }

    @Override
    public String description() {
        return "S3 or an S3-compatible object store (create-only conditional writes); durable, multi-process";
    }

    @Override
    public Set<Capability> capabilities() {
        return S3Storage.CAPABILITIES;
    }

    @Override
    public UnifiedStorage open(StorageConfig config, StorageContext context) {
        if (config == null || context == null) {
            throw new InvalidInputException("Opening S3 storage needs a StorageConfig and a StorageContext.");
        }
        return S3Storage.open(bind(config), config, context, List.of());
    }

    /** The bound and checked {@code backend_config}. */
    static S3Config bind(StorageConfig config) {
        return ConfigBinder.bind(config.backendConfig(), S3Config.class, S3Config.DEFAULT, "storage.backend_config")
                .validate("storage.backend_config");
    }
}
