package io.prodigy.storage.core.testprovider;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.Secret;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.memory.MemoryStorageProvider;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A backend this project does not know by name: it is registered only in the test resources'
 * {@code META-INF/services/io.prodigy.storage.StorageProvider}, as a third-party jar would be. It binds its own typed
 * {@code backend_config} (as every provider must) and keeps its data in a memory backend.
 */
public final class ThirdPartyStorageProvider implements StorageProvider {

    public static final String NAME = "third-party";
    public static final String DESCRIPTION = "Test backend registered only through META-INF/services";

    /** The provider's own {@code backend_config}. */
    public record ThirdPartyConfig(String label, Secret apiToken, String endpoint) {
        public static final ThirdPartyConfig DEFAULT = new ThirdPartyConfig("default", null, "");
    }

    /** What the last {@link #open} received. */
    public record Opened(StorageConfig config, ThirdPartyConfig backendConfig, StorageContext context) {}

    private final AtomicReference<Opened> lastOpened = new AtomicReference<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    /** Whatever the memory backend it delegates to supports. */
    @Override
    public Set<Capability> capabilities() {
        return new MemoryStorageProvider().capabilities();
    }

    @Override
    public UnifiedStorage open(StorageConfig config, StorageContext context) {
        ThirdPartyConfig own = ConfigBinder.bind(config.backendConfig(), ThirdPartyConfig.class,
                ThirdPartyConfig.DEFAULT, "storage.backend_config");
        UnifiedStorage inner = new MemoryStorageProvider().open(
                config.withBackend("memory").withBackendConfig(Map.of()), context);
        lastOpened.set(new Opened(config, own, context));
        return new DelegatingStorage(NAME, inner);
    }

    public Optional<Opened> lastOpened() {
        return Optional.ofNullable(lastOpened.get());
    }
}
