package io.prodigy.storage.core;

import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.config.StorageConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage providers available to the factory, found with {@link ServiceLoader} from
 * {@code META-INF/services/io.prodigy.storage.StorageProvider}: a backend jar on the class path is enough.
 *
 * <p>{@link #resolve} matches {@code storage.backend} against each provider's {@link StorageProvider#name()},
 * ignoring case, then against its fully qualified class name (the Debezium convention). Two providers with the same
 * name make that name ambiguous; the class name still selects either.
 *
 * <p>Immutable and thread-safe. Provider instances are shared by every open.
 */
public final class ProviderRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);
    private static final String BACKEND_KEY = "storage.backend";
    /** Bounds the loop over a broken services file: ServiceLoader promises only best-effort recovery. */
    private static final int MAX_LOAD_ERRORS = 100;
    /**
     * Backends that only the distributed build ({@code mvn -Pdistributed}) puts on the CLI's class path, with the
     * names users are likely to type for them.
     */
    private static final Set<String> DISTRIBUTED_ONLY = Set.of("postgres", "postgresql", "redis", "s3");

    private final List<StorageProvider> providers;

    private ProviderRegistry(List<StorageProvider> providers) {
        this.providers = providers.stream()
                .sorted(Comparator.comparing((StorageProvider p) -> p.name().toLowerCase(Locale.ROOT))
                        .thenComparing(p -> p.getClass().getName()))
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * Providers registered on the class path: those the thread context class loader sees (where application servers
     * and plugin hosts put application jars), and those the factory's own class loader sees (when the context loader
     * is unset or cannot see this library's jars). A provider that fails to load is skipped with a warning.
     */
    public static ProviderRegistry discover() {
        Map<String, StorageProvider> byClass = new LinkedHashMap<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = ProviderRegistry.class.getClassLoader();
        if (context != null) {
            loadInto(context, byClass);
        }
        if (own != context) {
            loadInto(own, byClass);
        }
        return new ProviderRegistry(usable(byClass.values()));
    }

    /** Providers registered for {@code loader} only. */
    public static ProviderRegistry discover(ClassLoader loader) {
        Map<String, StorageProvider> byClass = new LinkedHashMap<>();
        loadInto(Objects.requireNonNull(loader, "loader"), byClass);
        return new ProviderRegistry(usable(byClass.values()));
    }

    /** Exactly these providers, without discovery (embedding, tests). */
    public static ProviderRegistry of(Collection<? extends StorageProvider> providers) {
        return new ProviderRegistry(usable(List.copyOf(providers)));
    }

    public static ProviderRegistry of(StorageProvider... providers) {
        return of(List.of(providers));
    }

    /** The providers, ordered by name. */
    public List<StorageProvider> providers() {
        return providers;
    }

    /**
     * The provider for {@code backend}: by name ignoring case, else by fully qualified class name.
     *
     * @throws StorageConfigException (key {@code storage.backend}) if several providers share the name
     */
    public Optional<StorageProvider> find(String backend) {
        String wanted = Objects.requireNonNull(backend, "backend").strip();
        List<StorageProvider> byName = providers.stream().filter(p -> p.name().equalsIgnoreCase(wanted)).toList();
        if (byName.size() > 1) {
            throw StorageConfigException.of(BACKEND_KEY, "Storage backend '" + wanted + "' in {key} is provided by"
                    + " more than one class on the class path: " + byName.stream().map(p -> p.getClass().getName())
                    .collect(Collectors.joining(", ")) + ". Remove the extra jar, or set {key} to the class name of"
                    + " the provider to use.");
        }
        if (byName.size() == 1) {
            return Optional.of(byName.get(0));
        }
        return providers.stream().filter(p -> p.getClass().getName().equals(wanted)).findFirst();
    }

    /**
     * Like {@link #find}, but an unknown backend is an error.
     *
     * @throws StorageConfigException (key {@code storage.backend}) listing the available providers
     */
    public StorageProvider resolve(String backend) {
        String name = backend.strip();
        String distributed = DISTRIBUTED_ONLY.contains(name.toLowerCase(Locale.ROOT))
                ? " Built without -Pdistributed? The PostgreSQL, Redis and S3 backends are in the distributed build"
                        + " only (mvn -B -ntp -Pdistributed package)." : "";
        return find(backend).orElseThrow(() -> StorageConfigException.of(BACKEND_KEY, "Unknown storage backend '"
                + name + "' in {key}. Available providers: " + describeAvailable() + "." + distributed + " Set {key}"
                + " to one of these names (or to a provider's class name), or add the backend's jar to the class"
                + " path."));
    }

    /** The providers as {@code name (description)}, comma-separated, for messages and listings. */
    public String describeAvailable() {
        if (providers.isEmpty()) {
            return "none (no StorageProvider is registered in META-INF/services on the class path)";
        }
        return providers.stream().map(ProviderRegistry::describe).collect(Collectors.joining(", "));
    }

    static String describe(StorageProvider provider) {
        String description = provider.description();
        if (description == null || description.isBlank() || description.equals(provider.name())) {
            return provider.name();
        }
        return provider.name() + " (" + description + ")";
    }

    @Override
    public String toString() {
        return "ProviderRegistry[" + describeAvailable() + "]";
    }

    private static void loadInto(ClassLoader loader, Map<String, StorageProvider> byClass) {
        Iterator<StorageProvider> it = ServiceLoader.load(StorageProvider.class, loader).iterator();
        int errors = 0;
        while (errors < MAX_LOAD_ERRORS) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                StorageProvider provider = it.next();
                byClass.putIfAbsent(provider.getClass().getName(), provider);
            } catch (ServiceConfigurationError e) {
                // One broken backend jar must not make every other backend unusable.
                errors++;
                LOG.warn("Skipping a storage provider that could not be loaded: {}", e.getMessage());
            }
        }
    }

    /** Drops providers without a usable name: they could never be selected, and they would break sorting. */
    private static List<StorageProvider> usable(Collection<? extends StorageProvider> candidates) {
        List<StorageProvider> out = new ArrayList<>();
        for (StorageProvider p : candidates) {
            String name = Objects.requireNonNull(p, "provider").name();
            if (name == null || name.isBlank()) {
                LOG.warn("Skipping storage provider {}: its name() is empty.", p.getClass().getName());
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
