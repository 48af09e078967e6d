package io.prodigy.storage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.config.ConfigLoader;
import io.prodigy.storage.core.config.ConfigOverrides;
import io.prodigy.storage.core.testprovider.DelegatingStorage;
import io.prodigy.storage.core.testprovider.ThirdPartyStorageProvider;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.memory.MemoryStorageProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFactoryTest {

    @TempDir
    Path dir;
    private final List<String> warnings = new ArrayList<>();
    private StorageFactory factory;
    private ThirdPartyStorageProvider thirdParty;

    @BeforeEach
    void setUp() {
        factory = StorageFactory.create().withConfigLoader(loader(Map.of()));
        thirdParty = (ThirdPartyStorageProvider) factory.providers().resolve("third-party");
    }

    private ConfigLoader loader(Map<String, String> env) {
        return ConfigLoader.system().withEnvironment(env).withUserHome(dir.resolve("home"))
                .withWarnings(warnings::add);
    }

    private static void assertUsable(UnifiedStorage storage) {
        JobRef job = JobRef.of("repo", "job-1");
        storage.events().append(job, List.of(NewEvent.of("agent_started", Json.nodes().objectNode())));
        try (Stream<EventRecord> events = storage.events().query(EventFilter.forJob(job))) {
            assertThat(events).extracting(EventRecord::sequence).containsExactly(1L);
        }
    }

    @Test
    void opensAConfigBuiltInCode() {
        try (UnifiedStorage storage = factory.open(StorageConfig.forBackend("memory"))) {
            assertThat(storage.backendType()).isEqualTo("memory");
            assertUsable(storage);
        }
    }

    @Test
    void theBackendNameIsCaseInsensitiveAndAClassNameWorksToo() {
        try (UnifiedStorage byName = factory.open(StorageConfig.forBackend("Memory"));
                UnifiedStorage byClass = factory.open(StorageConfig.forBackend(MemoryStorageProvider.class.getName()))) {
            assertThat(byName.backendType()).isEqualTo("memory");
            assertThat(byClass.backendType()).isEqualTo("memory");
        }
    }

    @Test
    void aThirdPartyBackendFoundOnlyThroughServiceLoaderOpensAndGetsItsConfigAndContext() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        StorageContext context = new StorageContext(clock, dir);
        StorageConfig config = StorageConfig.forBackend("third-party")
                .withBackendConfig(Map.of("label", "blue", "api_token", "t0k3n"));
        try (UnifiedStorage storage = factory.withContext(context).open(config)) {
            assertThat(storage.backendType()).isEqualTo("third-party");
            assertUsable(storage);
        }
        ThirdPartyStorageProvider.Opened opened = thirdParty.lastOpened().orElseThrow();
        assertThat(opened.backendConfig().label()).isEqualTo("blue");
        assertThat(opened.backendConfig().apiToken().reveal()).isEqualTo("t0k3n");
        assertThat(opened.context()).isSameAs(context);
        assertThat(opened.config()).isEqualTo(config);
    }

    @Test
    void anUnknownBackendListsTheProvidersOnTheClassPath() {
        assertThatThrownBy(() -> factory.open(StorageConfig.forBackend("postgress")))
                .isInstanceOf(StorageConfigException.class)
                .hasMessageStartingWith("Unknown storage backend 'postgress' in storage.backend. Available providers: ")
                .hasMessageContaining("memory (In-memory storage")
                .hasMessageContaining("third-party (Test backend registered only through META-INF/services)")
                .hasMessageEndingWith("Set storage.backend to one of these names (or to a provider's class name), or"
                        + " add the backend's jar to the class path.");
    }

    @Test
    void aStorageUrlOpensItsBackend() throws Exception {
        Path base = dir.resolve("by-url");
        try (UnifiedStorage storage = factory.load(ConfigOverrides.NONE.withUrl(base.toUri().toString()))) {
            assertThat(storage.backendType()).isEqualTo("file");
            assertUsable(storage);
        }
        assertThat(base).isDirectory();
        try (UnifiedStorage storage = factory.withConfigLoader(loader(Map.of("PRODIGY_STORAGE_URL", "memory:")))
                .load()) {
            assertThat(storage.backendType()).isEqualTo("memory");
            assertUsable(storage);
        }
        try (UnifiedStorage storage = factory.openUrl("memory:", "--to")) {
            assertThat(storage.backendType()).isEqualTo("memory");
        }
    }

    @Test
    void aUrlForABackendNotInTheBuildSaysSoAndWhereItWasSet() {
        StorageFactory withEnv = factory.withConfigLoader(
                loader(Map.of("PRODIGY_STORAGE_URL", "postgresql://app:Hunter2@db/prodigy")));
        assertThatThrownBy(withEnv::load)
                .isInstanceOf(StorageConfigException.class)
                .hasMessageStartingWith("Unknown storage backend 'postgres' in storage.backend.")
                .hasMessageContaining("Built without -Pdistributed?")
                .hasMessageEndingWith("Source: environment variable PRODIGY_STORAGE_URL.")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Hunter2"));
        // The unknown backend is the root cause even when --storage-dir contradicts the URL's backend.
        assertThatThrownBy(() -> factory.loadConfig(ConfigOverrides.NONE.withUrl("redis://:Hunter2@cache")
                .withStorageDir(dir)))
                .hasMessageStartingWith("Unknown storage backend 'redis'")
                .hasMessageEndingWith("Source: explicit --storage-url.");
    }

    @Test
    void aMistypedEnvironmentValueFailsAtOpenNamingTheVariable() {
        StorageFactory withEnv = factory.withProviders(ProviderRegistry.of(new MemoryStorageProvider(), thirdParty))
                .withConfigLoader(loader(Map.of("PRODIGY_STORAGE_TYPE", "postgress")));
        assertThatThrownBy(withEnv::load)
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Unknown storage backend 'postgress' in storage.backend. Available providers: memory"
                        + " (In-memory storage for tests and single-process use; optional snapshot to disk on"
                        + " flush/close), third-party (Test backend registered only through META-INF/services). Set"
                        + " storage.backend to one of these names (or to a provider's class name), or add the"
                        + " backend's jar to the class path. Source: environment variable PRODIGY_STORAGE_TYPE.");
        assertThatThrownBy(withEnv::openFromEnvironment)
                .hasMessageEndingWith(" Source: environment variable PRODIGY_STORAGE_TYPE.");
    }

    @Test
    void aProvidersConfigErrorNamesTheKeyAndWhereItWasSet() {
        Path file = dir.resolve("workflow.yml");
        writeString(file, "storage:\n  backend: third-party\n  backend_config:\n    lable: x\n");
        assertThatThrownBy(() -> factory.openFile(file))
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Unknown key 'storage.backend_config.lable'. Did you mean 'label'? Valid keys here:"
                        + " api_token, endpoint, label. Source: config file '" + file + "'.")
                .extracting(e -> ((StorageConfigException) e).keyPath())
                .isEqualTo("storage.backend_config.lable");
        assertThatThrownBy(() -> factory.open(StorageConfig.forBackend("memory")
                .withBackendConfig(Map.of("max_memory", -1))))
                .hasMessage("Invalid value -1 for storage.backend_config.max_memory: expected a positive whole number"
                        + " of bytes, for example 104857600 (100 MB).");
    }

    @Test
    void opensFromYamlTextAFileTheEnvironmentAndEverySourceTogether() {
        try (UnifiedStorage s = factory.openYaml("storage:\n  backend: memory\n")) {
            assertThat(s.backendType()).isEqualTo("memory");
        }
        Path file = dir.resolve("config.yml");
        writeString(file, "storage:\n  backend: third-party\n  backend_config:\n    label: from-file\n");
        try (UnifiedStorage s = factory.openFile(file)) {
            assertThat(s.backendType()).isEqualTo("third-party");
            assertThat(thirdParty.lastOpened().orElseThrow().backendConfig().label()).isEqualTo("from-file");
        }
        StorageFactory env = factory.withConfigLoader(loader(Map.of("PRODIGY_STORAGE_TYPE", "memory")));
        try (UnifiedStorage s = env.openFromEnvironment()) {
            assertThat(s.backendType()).isEqualTo("memory");
        }
        // Explicit > environment > file: the file says third-party, the environment memory, the override third-party.
        Path bare = dir.resolve("bare.yml");
        writeString(bare, "storage:\n  backend: third-party\n  timeout: 1m\n");
        try (UnifiedStorage s = env.load(ConfigOverrides.NONE.withConfigFile(bare))) {
            assertThat(s.backendType()).isEqualTo("memory");
        }
        try (UnifiedStorage s = env.load(ConfigOverrides.NONE.withConfigFile(file).withBackend("third-party"))) {
            assertThat(s.backendType()).isEqualTo("third-party");
            assertThat(thirdParty.lastOpened().orElseThrow().backendConfig().label()).isEqualTo("from-file");
        }
        // The file's backend_config is for third-party; the environment chose memory: it is left out, and said so.
        try (UnifiedStorage s = env.load(ConfigOverrides.NONE.withConfigFile(file))) {
            assertThat(s.backendType()).isEqualTo("memory");
        }
        assertThat(env.loadConfig(ConfigOverrides.NONE.withConfigFile(file)).ignored()).singleElement().asString()
                .startsWith("storage.backend_config from config file '" + file + "' was ignored: it configures"
                        + " backend 'third-party', but backend 'memory' was chosen by environment variable"
                        + " PRODIGY_STORAGE_TYPE.");
    }

    @Test
    void theDefaultConfigFileIsReadByLoad() {
        writeString(dir.resolve("home/.prodigy/config.yml"), "storage:\n  backend: memory\n");
        try (UnifiedStorage s = factory.load()) {
            assertThat(s.backendType()).isEqualTo("memory");
        }
    }

    @Test
    void aProviderThatThrowsSomethingElseIsReportedAsUnavailableWithoutCredentials() {
        StorageProvider exploding = new FixedProvider("exploding", (config, context) -> {
            throw new IllegalStateException("connection refused: postgres://app:s3cr3t@db:5432/x");
        });
        StorageFactory f = factory.withProviders(ProviderRegistry.of(exploding));
        assertThatThrownBy(() -> f.open(StorageConfig.forBackend("exploding")))
                .isExactlyInstanceOf(StorageUnavailableException.class)
                .hasMessage("Storage backend 'exploding' (" + FixedProvider.class.getName() + ") failed to open:"
                        + " java.lang.IllegalStateException: connection refused: postgres://****@db:5432/x. Check its"
                        + " backend_config and that what it connects to is reachable.")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aProviderThatReturnsNothingIsReported() {
        StorageFactory f = factory.withProviders(ProviderRegistry.of(new FixedProvider("hollow", (c, x) -> null)));
        assertThatThrownBy(() -> f.open(StorageConfig.forBackend("hollow")))
                .isExactlyInstanceOf(StorageUnavailableException.class)
                .hasMessage("Storage backend 'hollow' (" + FixedProvider.class.getName() + ") returned no storage from"
                        + " open(). This is a bug in the provider; report it to its authors.");
    }

    @Test
    void aFailureAfterOpenClosesTheStore() {
        DelegatingStorage opened = new DelegatingStorage("probe",
                new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), StorageContext.system()));
        IllegalStateException failure = new IllegalStateException("layer failed");
        assertThatThrownBy(() -> StorageFactory.closeOnFailure(opened, s -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(opened.closeCount()).isEqualTo(1);
        assertThat(failure.getSuppressed()).isEmpty();
    }

    @Test
    void aFailureToCloseAfterAFailedStepIsAttachedAsSuppressed() {
        RuntimeException closeFailure = new IllegalStateException("close failed");
        DelegatingStorage opened = new DelegatingStorage("probe",
                new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), StorageContext.system()))
                .failingOnClose(closeFailure);
        StorageUnavailableException failure = new StorageUnavailableException("migration failed");
        assertThatThrownBy(() -> StorageFactory.closeOnFailure(opened, s -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(failure.getSuppressed()).containsExactly(closeFailure);
        assertThat(opened.closeCount()).isEqualTo(1);
    }

    @Test
    void successfulStepsLeaveTheStoreOpen() {
        DelegatingStorage opened = new DelegatingStorage("probe",
                new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), StorageContext.system()));
        assertThat(StorageFactory.closeOnFailure(opened, s -> s)).isSameAs(opened);
        assertThat(opened.closeCount()).isZero();
        assertUsable(opened);
        opened.close();
    }

    @Test
    void openingLogsTheProviderAndTheConfigurationWithoutSecrets() {
        StorageConfig config = StorageConfig.forBackend("third-party").withBackendConfig(Map.of(
                "label", "blue", "api_token", "t0k3n-value", "endpoint", "https://svc:pa55@api.example/v1"));
        String log = LogCapture.during(() -> factory.open(config).close());
        assertThat(log).contains("INFO " + StorageFactory.class.getName() + " - Opening storage backend 'third-party' ("
                + ThirdPartyStorageProvider.class.getName() + ") with {backend=third-party,")
                .contains("api_token=****", "endpoint=https://****@api.example/v1", "label=blue")
                .doesNotContain("t0k3n-value").doesNotContain("pa55");
        assertThat(log.lines().filter(l -> l.contains("Opening storage backend"))).hasSize(1);
    }

    @Test
    void theLogNamesTheConfigFile() {
        Path file = dir.resolve("c.yml");
        writeString(file, "storage:\n  backend: memory\n");
        String log = LogCapture.during(() -> factory.openFile(file).close());
        assertThat(log).contains("Opening storage backend 'memory' (" + MemoryStorageProvider.class.getName()
                + ") configured by " + file + " with {backend=memory,");
    }

    @Test
    void accessors() {
        StorageContext context = StorageContext.system();
        StorageFactory f = factory.withContext(context);
        assertThat(f.context()).isSameAs(context);
        assertThat(f.providers()).isSameAs(factory.providers());
        assertThat(f.configLoader()).isSameAs(factory.configLoader());
    }

    private static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A provider whose open is a lambda. */
    record FixedProvider(String name, java.util.function.BiFunction<StorageConfig, StorageContext, UnifiedStorage> opener)
            implements StorageProvider {
        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public UnifiedStorage open(StorageConfig config, StorageContext context) {
            return opener.apply(config, context);
        }
    }
}
