package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadedConfigTest {

    @Test
    void settingsListEveryKeyWithItsSourceInOrder() {
        Map<String, SettingSource> sources = new HashMap<>();
        sources.put("storage.backend", SettingSource.environment("PRODIGY_STORAGE_TYPE"));
        LoadedConfig loaded = new LoadedConfig(StorageConfig.forBackend("memory"), sources, null);
        List<LoadedConfig.Setting> settings = loaded.settings();
        assertThat(settings).hasSize(13);
        assertThat(settings.get(0)).isEqualTo(new LoadedConfig.Setting("storage.backend", "memory",
                SettingSource.environment("PRODIGY_STORAGE_TYPE")));
        assertThat(settings.get(2)).isEqualTo(new LoadedConfig.Setting("storage.timeout", "30s",
                SettingSource.DEFAULT));
        assertThat(settings.get(12).key()).isEqualTo("storage.cache_config.cache_type");
    }

    @Test
    void sourcesAreACopy() {
        Map<String, SettingSource> sources = new HashMap<>();
        LoadedConfig loaded = new LoadedConfig(StorageConfig.DEFAULT, sources, Path.of("/x.yml"));
        sources.put("storage.backend", SettingSource.explicit("--backend"));
        assertThat(loaded.sources()).isEmpty();
        assertThat(loaded.sourceOf("storage.backend")).isEqualTo(SettingSource.DEFAULT);
        assertThat(loaded.configFilePath()).contains(Path.of("/x.yml"));
    }

    @Test
    void errorsAreAttributedToTheSourceOfTheKeyOrOfTheBlock() {
        LoadedConfig loaded = new LoadedConfig(StorageConfig.DEFAULT,
                Map.of("storage.backend_config.base_dir", SettingSource.environment("PRODIGY_HOME")), null);
        StorageConfigException exact = StorageConfigException.invalidValue("storage.backend_config.base_dir", 1,
                "a file system path");
        assertThat(loaded.attributed(exact)).hasMessage("Invalid value 1 for storage.backend_config.base_dir:"
                + " expected a file system path. Source: environment variable PRODIGY_HOME.")
                .hasCause(exact)
                .extracting(StorageConfigException::keyPath).isEqualTo("storage.backend_config.base_dir");
        StorageConfigException block = StorageConfigException.of("storage.backend_config", "Bad {key}.");
        assertThat(loaded.attributed(block).getMessage())
                .isEqualTo("Bad storage.backend_config. Source: environment variable PRODIGY_HOME.");
        StorageConfigException unrelated = StorageConfigException.of("storage.timeout", "Bad {key}.");
        assertThat(loaded.attributed(unrelated)).isSameAs(unrelated);
    }

    @Test
    void sourceDescriptions() {
        assertThat(SettingSource.explicit("--storage-dir").describe()).isEqualTo("explicit --storage-dir");
        assertThat(SettingSource.environment("PRODIGY_HOME").describe()).isEqualTo("environment variable PRODIGY_HOME");
        assertThat(SettingSource.file(Path.of("/h/config.yml")).describe()).isEqualTo("config file '/h/config.yml'");
        assertThat(SettingSource.DEFAULT.describe()).isEqualTo("default");
        assertThat(SettingSource.DEFAULT.kind()).isEqualTo(SettingSource.Kind.DEFAULT);
        assertThat(SettingSource.file(Path.of("/a")).kind()).isEqualTo(SettingSource.Kind.FILE);
    }
}
