package io.prodigy.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryConfigTest {

    private final MemoryStorageProvider provider = new MemoryStorageProvider();

    private static StorageConfig withBackendConfig(Map<String, Object> backendConfig) {
        return StorageConfig.forBackend("memory").withBackendConfig(backendConfig);
    }

    private static StorageConfigException bindFailure(Map<String, Object> backendConfig) {
        try {
            new MemoryStorageProvider().open(withBackendConfig(backendConfig), StorageContext.system()).close();
        } catch (StorageConfigException e) {
            return e;
        }
        throw new AssertionError("expected a StorageConfigException for " + backendConfig);
    }

    @Test
    void providerIsFoundThroughServiceLoaderWithItsCapabilities() {
        StorageProvider found = ServiceLoader.load(StorageProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("memory"))
                .findFirst()
                .orElseThrow();

        assertThat(found).isInstanceOf(MemoryStorageProvider.class);
        assertThat(found.capabilities()).containsExactlyInAnyOrder(
                Capability.IDEMPOTENT_APPEND, Capability.ATOMIC_FENCING, Capability.CLIENT_CLOCK);
        assertThat(found.capabilities()).doesNotContain(Capability.DURABLE, Capability.MULTI_PROCESS);
    }

    @Test
    void emptyBackendConfigGivesTheDocumentedDefaults() {
        try (UnifiedStorage storage = provider.open(withBackendConfig(Map.of()), StorageContext.system())) {
            MemoryConfig config = ((MemoryStorage) storage).config();
            assertThat(config.maxMemory()).isEqualTo(104_857_600L);
            assertThat(config.persistToDisk()).isFalse();
            assertThat(config.persistencePath()).isNull();
            assertThat(storage.backendType()).isEqualTo("memory");
            assertThat(storage.health().details()).containsEntry("max_memory", 104_857_600L);
        }
    }

    @Test
    void everyKeyIsBound(@TempDir Path dir) {
        Path snapshot = dir.resolve("snap.json");
        Map<String, Object> raw = new HashMap<>();
        raw.put("max_memory", 2048);
        raw.put("persist_to_disk", true);
        raw.put("persistence_path", snapshot.toString());

        try (UnifiedStorage storage = provider.open(withBackendConfig(raw), StorageContext.system())) {
            MemoryConfig config = ((MemoryStorage) storage).config();
            assertThat(config).isEqualTo(new MemoryConfig(2048, true, snapshot));
        }
        assertThat(snapshot).exists();
    }

    @Test
    void persistencePathIsIgnoredWhilePersistenceIsOff(@TempDir Path dir) {
        Path snapshot = dir.resolve("snap.json");
        try (UnifiedStorage storage = provider.open(
                withBackendConfig(Map.of("persistence_path", snapshot.toString())), StorageContext.system())) {
            assertThat(((MemoryStorage) storage).config().persistToDisk()).isFalse();
        }
        assertThat(snapshot).doesNotExist();
    }

    @Test
    void unknownKeyIsRejectedWithDidYouMean() {
        StorageConfigException e = bindFailure(Map.of("max_memroy", 10));

        assertThat(e.keyPath()).isEqualTo("storage.backend_config.max_memroy");
        assertThat(e).hasMessage("Unknown key 'storage.backend_config.max_memroy'. Did you mean 'max_memory'?"
                + " Valid keys here: max_memory, persist_to_disk, persistence_path.");
    }

    @Test
    void nonPositiveMaxMemoryIsRejected() {
        StorageConfigException e = bindFailure(Map.of("max_memory", 0));

        assertThat(e.keyPath()).isEqualTo("storage.backend_config.max_memory");
        assertThat(e).hasMessage("Invalid value 0 for storage.backend_config.max_memory: expected a positive whole"
                + " number of bytes, for example 104857600 (100 MB).");
    }

    @Test
    void maxMemoryOfTheWrongTypeIsRejected() {
        StorageConfigException e = bindFailure(Map.of("max_memory", "100MB"));

        assertThat(e).hasMessage("Invalid value '100MB' for storage.backend_config.max_memory: expected a whole"
                + " number.");
    }

    @Test
    void persistToDiskOfTheWrongTypeIsRejected() {
        StorageConfigException e = bindFailure(Map.of("persist_to_disk", "yes"));

        assertThat(e).hasMessage("Invalid value 'yes' for storage.backend_config.persist_to_disk: expected true or"
                + " false.");
    }

    @Test
    void persistToDiskWithoutPathNamesTheMissingKey() {
        StorageConfigException e = bindFailure(Map.of("persist_to_disk", true));

        assertThat(e.keyPath()).isEqualTo("storage.backend_config.persistence_path");
        assertThat(e).hasMessage("Missing storage.backend_config.persistence_path: persist_to_disk is true, so set"
                + " persistence_path to the file the snapshot is written to (for example"
                + " ~/.prodigy/memory-snapshot.json), or set persist_to_disk to false.");
    }

    @Test
    void blankPersistencePathIsRejected() {
        StorageConfigException e = bindFailure(Map.of("persist_to_disk", true, "persistence_path", " "));

        assertThat(e).hasMessage("Invalid value ' ' for storage.backend_config.persistence_path: expected a file"
                + " system path.");
    }

    @Test
    void constructedDirectlyTheMessageNamesTheBareKey() {
        assertThatThrownBy(() -> new MemoryConfig(-5, false, null))
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Invalid value -5 for max_memory: expected a positive whole number of bytes, for"
                        + " example 104857600 (100 MB).");
    }
}
