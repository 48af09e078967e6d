package io.prodigy.storage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.testprovider.ThirdPartyStorageProvider;
import io.prodigy.storage.memory.MemoryStorageProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {

    /** A provider with a chosen name and description, for resolution rules. */
    record NamedProvider(String name, String description) implements StorageProvider {
        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public UnifiedStorage open(StorageConfig config, StorageContext context) {
            return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
        }
    }

    /** Same name as {@link NamedProvider} instances, another class: two jars providing one backend name. */
    record OtherNamedProvider(String name) implements StorageProvider {
        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public UnifiedStorage open(StorageConfig config, StorageContext context) {
            return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
        }
    }

    @Test
    void discoveryFindsTheBackendsOnTheClassPathIncludingOnesThisProjectDoesNotKnow() {
        ProviderRegistry registry = ProviderRegistry.discover();
        assertThat(registry.providers()).extracting(StorageProvider::name).contains("memory", "third-party");
        assertThat(registry.find("third-party")).get().isInstanceOf(ThirdPartyStorageProvider.class);
        assertThat(registry.describeAvailable())
                .contains("third-party (Test backend registered only through META-INF/services)")
                .contains("memory (");
    }

    @Test
    void resolvesByNameIgnoringCaseThenByClassName() {
        StorageProvider third = new ThirdPartyStorageProvider();
        ProviderRegistry registry = ProviderRegistry.of(new MemoryStorageProvider(), third);
        assertThat(registry.resolve("THIRD-party")).isSameAs(third);
        assertThat(registry.resolve(" third-party ")).isSameAs(third);
        assertThat(registry.resolve(ThirdPartyStorageProvider.class.getName())).isSameAs(third);
        assertThat(registry.find(ThirdPartyStorageProvider.class.getName().toUpperCase())).isEmpty();
        assertThat(registry.find("nope")).isEmpty();
    }

    @Test
    void unknownBackendListsTheAvailableProviders() {
        ProviderRegistry registry = ProviderRegistry.of(new NamedProvider("zeta", "Zeta store"),
                new NamedProvider("alpha", "alpha"), new NamedProvider("mid", null));
        assertThat(registry.providers()).extracting(StorageProvider::name).containsExactly("alpha", "mid", "zeta");
        assertThatThrownBy(() -> registry.resolve("postgress"))
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Unknown storage backend 'postgress' in storage.backend. Available providers: alpha,"
                        + " mid, zeta (Zeta store). Set storage.backend to one of these names (or to a provider's"
                        + " class name), or add the backend's jar to the class path.")
                .extracting(e -> ((StorageConfigException) e).keyPath()).isEqualTo("storage.backend");
    }

    @Test
    void theDistributedBackendsAskWhetherTheBuildLeftThemOut() {
        ProviderRegistry registry = ProviderRegistry.of(new NamedProvider("file", null));
        for (String name : List.of("postgres", "PostgreSQL", "redis", "s3")) {
            assertThatThrownBy(() -> registry.resolve(name))
                    .hasMessage("Unknown storage backend '" + name + "' in storage.backend. Available providers: file."
                            + " Built without -Pdistributed? The PostgreSQL, Redis and S3 backends are in the"
                            + " distributed build only (mvn -B -ntp -Pdistributed package). Set storage.backend to one"
                            + " of these names (or to a provider's class name), or add the backend's jar to the class"
                            + " path.");
        }
        assertThatThrownBy(() -> registry.resolve("mysql")).message().doesNotContain("-Pdistributed");
    }

    @Test
    void noProvidersAtAllIsSaidPlainly() {
        assertThatThrownBy(() -> ProviderRegistry.of(List.of()).resolve("file"))
                .hasMessage("Unknown storage backend 'file' in storage.backend. Available providers: none (no"
                        + " StorageProvider is registered in META-INF/services on the class path). Set"
                        + " storage.backend to one of these names (or to a provider's class name), or add the"
                        + " backend's jar to the class path.");
    }

    @Test
    void twoProvidersWithOneNameAreAmbiguousButEachClassNameWorks() {
        StorageProvider a = new NamedProvider("twin", "a");
        StorageProvider b = new OtherNamedProvider("twin");
        ProviderRegistry registry = ProviderRegistry.of(a, b);
        assertThatThrownBy(() -> registry.resolve("twin"))
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Storage backend 'twin' in storage.backend is provided by more than one class on the"
                        + " class path: " + NamedProvider.class.getName() + ", " + OtherNamedProvider.class.getName()
                        + ". Remove the extra jar, or set storage.backend to the class name of the provider to use.");
        assertThat(registry.resolve(OtherNamedProvider.class.getName())).isSameAs(b);
    }

    @Test
    void providersWithoutANameAreSkipped() {
        ProviderRegistry registry = ProviderRegistry.of(new NamedProvider(" ", "x"), new NamedProvider("ok", "ok"));
        assertThat(registry.providers()).extracting(StorageProvider::name).containsExactly("ok");
    }

    @Test
    void aBrokenServicesEntryDoesNotHideTheOtherProviders(@TempDir Path jar) throws IOException {
        Path services = jar.resolve("META-INF/services/io.prodigy.storage.StorageProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, "com.example.DoesNotExist\n" + ThirdPartyStorageProvider.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                // Parent-last for nothing: classes come from the test class path, services only from the jar dir.
                return ProviderRegistryTest.class.getClassLoader().loadClass(name);
            }
        }) {
            String log = LogCapture.during(() -> {
                ProviderRegistry registry = ProviderRegistry.discover(loader);
                assertThat(registry.providers()).extracting(StorageProvider::name).containsExactly("third-party");
            });
            assertThat(log).contains("Skipping a storage provider that could not be loaded")
                    .contains("com.example.DoesNotExist");
        }
    }

    @Test
    void theContextClassLoaderIsSearched(@TempDir Path jar) throws IOException {
        Path services = jar.resolve("META-INF/services/io.prodigy.storage.StorageProvider");
        Files.createDirectories(services.getParent());
        Files.writeString(services, NamedOnlyHere.class.getName() + "\n");
        ClassLoader original = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, original)) {
            Thread.currentThread().setContextClassLoader(loader);
            assertThat(ProviderRegistry.discover().find("only-in-context")).isPresent();
        } finally {
            Thread.currentThread().setContextClassLoader(original);
        }
        assertThat(ProviderRegistry.discover().find("only-in-context")).isEmpty();
    }

    /** Registered only by {@link #theContextClassLoaderIsSearched}'s class loader. */
    public static final class NamedOnlyHere implements StorageProvider {
        @Override
        public String name() {
            return "only-in-context";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public UnifiedStorage open(StorageConfig config, StorageContext context) {
            return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
        }
    }
}
