package io.prodigy.storage.core;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.config.ConfigLoader;
import io.prodigy.storage.core.config.ConfigOverrides;
import io.prodigy.storage.core.config.LoadedConfig;
import io.prodigy.storage.core.layer.StorageLayers;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a {@link UnifiedStorage} from configuration. The common path is one line:
 * <pre>{@code try (UnifiedStorage storage = StorageFactory.create().load()) { ... }}</pre>
 * which reads explicit values, the environment, the config file and the defaults in that precedence (see
 * {@link ConfigLoader}). Other entry points open from a {@link StorageConfig} built in code, from YAML text or a YAML
 * file, or from the environment alone.
 *
 * <p>Opening resolves {@code storage.backend} to a {@link StorageProvider} (see {@link ProviderRegistry}), logs the
 * provider and the configuration with secrets masked at INFO, lets the provider open its store, and wraps the store
 * in the cross-cutting layers the configuration enables. If a step after the provider's open fails, the store is
 * closed before the error propagates (a failure to close is attached as suppressed).
 *
 * <p>Immutable and thread-safe: the {@code with…} methods return new factories.
 *
 * @see io.prodigy.storage.core.config.ConfigLoader
 */
public final class StorageFactory {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFactory.class);

    private final ProviderRegistry registry;
    private final ConfigLoader loader;
    private final StorageContext context;

    private StorageFactory(ProviderRegistry registry, ConfigLoader loader, StorageContext context) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Providers from the class path, the process environment, the system clock, and as the project the working
     * directory's repository root ({@link StorageContext#system()}): opening the file backend there migrates a legacy
     * {@code .prodigy/} directory on first use (docs/migration.md).
     */
    public static StorageFactory create() {
        return new StorageFactory(ProviderRegistry.discover(), ConfigLoader.system(), StorageContext.system());
    }

    /** A factory that uses these providers instead of discovering them. */
    public StorageFactory withProviders(ProviderRegistry providers) {
        return new StorageFactory(providers, loader, context);
    }

    /** A factory that loads configuration with {@code configLoader} (another environment, home or warning sink). */
    public StorageFactory withConfigLoader(ConfigLoader configLoader) {
        return new StorageFactory(registry, configLoader, context);
    }

    /** A factory that passes {@code storageContext} (clock, project directory) to providers. */
    public StorageFactory withContext(StorageContext storageContext) {
        return new StorageFactory(registry, loader, storageContext);
    }

    public ProviderRegistry providers() {
        return registry;
    }

    public ConfigLoader configLoader() {
        return loader;
    }

    public StorageContext context() {
        return context;
    }

    /** Opens with every configuration source (explicit values: none). */
    public UnifiedStorage load() {
        return load(ConfigOverrides.NONE);
    }

    /**
     * Opens with every configuration source: {@code overrides} over the environment over the config file over the
     * defaults.
     *
     * @throws StorageConfigException for a bad setting or an unknown backend, naming the key and where it was set
     */
    public UnifiedStorage load(ConfigOverrides overrides) {
        return open(loadConfig(overrides));
    }

    /**
     * The configuration {@link #load(ConfigOverrides)} opens, without opening it. When the sources contradict each
     * other and the backend they name does not exist ({@code --storage-dir} with {@code storage.backend: nosuch}),
     * the unknown backend is the root cause and is reported first, with the available providers.
     *
     * @throws StorageConfigException for a bad setting or an unknown backend, naming the key and where it was set
     */
    public LoadedConfig loadConfig(ConfigOverrides overrides) {
        try {
            return loader.load(overrides);
        } catch (StorageConfigException e) {
            if (overrides.storageDir() != null) {
                LoadedConfig withoutDir = loader.load(overrides.withStorageDir(null));
                try {
                    registry.resolve(withoutDir.config().backend());
                } catch (StorageConfigException unknownBackend) {
                    StorageConfigException rootCause = withoutDir.attributed(unknownBackend);
                    rootCause.addSuppressed(e);
                    throw rootCause;
                }
            }
            throw e;
        }
    }

    /** Opens a configuration built in code; the environment and config files are not read. */
    public UnifiedStorage open(StorageConfig config) {
        return open(config, context);
    }

    /** Opens a configuration built in code, with a context other than this factory's. */
    public UnifiedStorage open(StorageConfig config, StorageContext storageContext) {
        // No provenance: errors about a configuration built in code need no "where it was set".
        return open(new LoadedConfig(config, Map.of(), null), storageContext);
    }

    /** Opens a loaded configuration; errors about its settings name where each was set. */
    public UnifiedStorage open(LoadedConfig loaded) {
        return open(loaded, context);
    }

    /** Opens the {@code storage:} block of YAML text over the defaults. */
    public UnifiedStorage openYaml(String yaml) {
        return open(loader.fromYaml(yaml));
    }

    /** Opens the {@code storage:} block of a YAML config or workflow file over the defaults. */
    public UnifiedStorage openFile(Path yamlFile) {
        return open(loader.fromFile(yamlFile));
    }

    /**
     * Opens what one storage URL configures over the defaults ({@code file:///srv/prodigy},
     * {@code postgresql://app@db/prodigy}, …; see {@link io.prodigy.storage.core.config.url.StorageUrl}); the
     * environment and config files are not read. {@code option} says where the URL was given, for errors.
     */
    public UnifiedStorage openUrl(String url, String option) {
        return open(loader.fromUrl(url, option));
    }

    /** Opens what the environment configures over the defaults; no config file is read. */
    public UnifiedStorage openFromEnvironment() {
        return open(loader.fromEnvironment());
    }

    private UnifiedStorage open(LoadedConfig loaded, StorageContext storageContext) {
        Objects.requireNonNull(storageContext, "storageContext");
        StorageConfig config = loaded.config();
        StorageProvider provider;
        UnifiedStorage opened;
        try {
            provider = registry.resolve(config.backend());
            LOG.info("Opening storage backend '{}' ({}){} with {}", provider.name(), provider.getClass().getName(),
                    loaded.configFilePath().map(f -> " configured by " + f).orElse(""), loaded.redacted());
            opened = openWith(provider, config, storageContext);
        } catch (StorageConfigException e) {
            throw loaded.attributed(e);
        }
        return closeOnFailure(opened, storage -> {
            LegacyMigrationOnOpen.runIfNeeded(storage, config, storageContext);
            return decorate(storage, config, storageContext);
        });
    }

    /**
     * Runs the provider's open. A provider that throws something other than a {@link StorageException} (a bug or a
     * third-party library's exception) is reported as a {@link StorageUnavailableException} naming it, so callers
     * only ever handle the storage exception hierarchy.
     */
    private static UnifiedStorage openWith(StorageProvider provider, StorageConfig config, StorageContext ctx) {
        UnifiedStorage opened;
        try {
            opened = provider.open(config, ctx);
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException e) {
            // Third-party messages may carry connection strings: strip URL credentials.
            throw new StorageUnavailableException("Storage backend '" + provider.name() + "' ("
                    + provider.getClass().getName() + ") failed to open: " + Redaction.redactUrl(e.toString())
                    + ". Check its backend_config and that what it connects to is reachable.", e);
        }
        if (opened == null) {
            throw new StorageUnavailableException("Storage backend '" + provider.name() + "' ("
                    + provider.getClass().getName() + ") returned no storage from open(). This is a bug in the"
                    + " provider; report it to its authors.");
        }
        return opened;
    }

    /**
     * Runs the steps that follow the provider's open. If one fails, the opened store is closed, so that no files,
     * connections or threads leak from a failed open; a failure to close is attached to the original error as
     * suppressed.
     */
    static UnifiedStorage closeOnFailure(UnifiedStorage opened, UnaryOperator<UnifiedStorage> remainingSteps) {
        try {
            return Objects.requireNonNull(remainingSteps.apply(opened), "a step after open returned null");
        } catch (RuntimeException | Error e) {
            try {
                opened.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Wraps the backend in the cross-cutting layers the configuration enables (see {@link StorageLayers}). */
    private static UnifiedStorage decorate(UnifiedStorage storage, StorageConfig config, StorageContext ctx) {
        return StorageLayers.decorate(storage, config, ctx);
    }
}
