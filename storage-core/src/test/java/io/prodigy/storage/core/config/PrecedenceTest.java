package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.StorageConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explicit value > environment > config file > defaults (spec 102), end to end through {@link ConfigLoader#load}. */
class PrecedenceTest {

    @TempDir
    Path dir;
    private Loaders loaders;
    private Path home;
    private Path userConfig;

    @BeforeEach
    void setUp() {
        home = dir.resolve("home");
        loaders = new Loaders(home);
        userConfig = home.resolve(".prodigy").resolve("config.yml");
    }

    @Test
    void backendFollowsExplicitThenEnvironmentThenFileThenDefault() {
        Map<String, String> env = new HashMap<>();
        assertThat(loaders.with(env).load().config().backend()).isEqualTo("file");

        Loaders.write(userConfig, "storage:\n  backend: from-file\n");
        LoadedConfig fromFile = loaders.with(env).load();
        assertThat(fromFile.config().backend()).isEqualTo("from-file");
        assertThat(fromFile.sourceOf("storage.backend")).isEqualTo(SettingSource.file(userConfig));

        env.put("PRODIGY_STORAGE_TYPE", "from-env");
        LoadedConfig fromEnv = loaders.with(env).load();
        assertThat(fromEnv.config().backend()).isEqualTo("from-env");
        assertThat(fromEnv.sourceOf("storage.backend")).isEqualTo(SettingSource.environment("PRODIGY_STORAGE_TYPE"));

        LoadedConfig explicit = loaders.with(env).load(ConfigOverrides.NONE.withBackend("from-cli"));
        assertThat(explicit.config().backend()).isEqualTo("from-cli");
        assertThat(explicit.sourceOf("storage.backend")).isEqualTo(SettingSource.explicit("--backend"));
        assertThat(explicit.sourceOf("storage.backend").describe()).isEqualTo("explicit --backend");
    }

    @Test
    void baseDirFollowsStorageDirThenEachVariableThenFile() {
        Loaders.write(userConfig, "storage:\n  backend: file\n  backend_config:\n    base_dir: /from-file\n"
                + "    use_global: true\n");
        Map<String, String> env = new HashMap<>();
        assertBaseDir(env, ConfigOverrides.NONE, "/from-file", SettingSource.file(userConfig));

        env.put("PRODIGY_HOME", dir.resolve("prodigy-home").toString());
        assertBaseDir(env, ConfigOverrides.NONE, dir.resolve("prodigy-home").toString(),
                SettingSource.environment("PRODIGY_HOME"));
        env.put("PRODIGY_STORAGE_PATH", "/from-path");
        assertBaseDir(env, ConfigOverrides.NONE, "/from-path", SettingSource.environment("PRODIGY_STORAGE_PATH"));
        env.put("PRODIGY_STORAGE_DIR", "/from-dir");
        assertBaseDir(env, ConfigOverrides.NONE, "/from-dir", SettingSource.environment("PRODIGY_STORAGE_DIR"));
        env.put("PRODIGY_STORAGE_BASE_PATH", "/from-base-path");
        assertBaseDir(env, ConfigOverrides.NONE, "/from-base-path",
                SettingSource.environment("PRODIGY_STORAGE_BASE_PATH"));
        assertBaseDir(env, ConfigOverrides.NONE.withStorageDir(Path.of("/from-cli")), "/from-cli",
                SettingSource.explicit("--storage-dir"));
    }

    private void assertBaseDir(Map<String, String> env, ConfigOverrides overrides, String expected,
            SettingSource source) {
        // PRODIGY_HOME moves the config file too; keep reading the same file so only the variables change.
        LoadedConfig loaded = loaders.with(env).load(overrides.withConfigFile(userConfig));
        assertThat(loaded.config().backendConfig()).containsEntry("base_dir", expected)
                .containsEntry("use_global", true);
        assertThat(loaded.sourceOf("storage.backend_config.base_dir")).isEqualTo(source);
        assertThat(loaded.sourceOf("storage.backend_config.use_global")).isEqualTo(SettingSource.file(userConfig));
    }

    @Test
    void theEnvironmentOverridesOnlyWhatItSets() {
        Loaders.write(userConfig, "storage:\n  backend: memory\n  timeout: 1m\n  backend_config:\n"
                + "    max_memory: 2048\n");
        LoadedConfig loaded = loaders.with(Map.of("PRODIGY_STORAGE_TYPE", "memory")).load();
        assertThat(loaded.config().timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(loaded.config().backendConfig()).containsExactly(Map.entry("max_memory", 2048));
        assertThat(loaded.sourceOf("storage.timeout")).isEqualTo(SettingSource.file(userConfig));
        assertThat(loaded.sourceOf("storage.connection_pool_size")).isEqualTo(SettingSource.DEFAULT);
    }

    @Test
    void anEnvironmentBackendDecidesWhetherTheBaseDirIsInjected() {
        Loaders.write(userConfig, "storage:\n  backend: memory\n");
        LoadedConfig toFile = loaders.with(Map.of("PRODIGY_STORAGE_TYPE", "file", "PRODIGY_STORAGE_BASE_PATH", "/b"))
                .load();
        assertThat(toFile.config().backendConfig()).containsExactly(Map.entry("base_dir", "/b"));

        LoadedConfig cliToMemory = loaders.with(Map.of("PRODIGY_STORAGE_BASE_PATH", "/b"))
                .load(ConfigOverrides.NONE.withBackend("memory"));
        assertThat(cliToMemory.config().backendConfig()).isEmpty();
    }

    @Test
    void configFileIsTheExplicitOneFirst() {
        Path explicit = Loaders.write(dir.resolve("workflow.yml"), "storage:\n  backend: explicit-file\n");
        Loaders.write(userConfig, "storage:\n  backend: user-file\n");
        ConfigOverrides overrides = ConfigOverrides.NONE.withConfigFile(explicit);
        LoadedConfig loaded = loaders.with(Map.of()).load(overrides);
        assertThat(loaded.config().backend()).isEqualTo("explicit-file");
        assertThat(loaded.configFile()).isEqualTo(explicit);
        assertThat(loaders.with(Map.of()).configFile(overrides)).contains(explicit);
    }

    @Test
    void configFileIsUnderProdigyHomeWhenItIsSet() {
        Path prodigyHome = dir.resolve("ph");
        Path inHome = Loaders.write(prodigyHome.resolve("config.yml"), "storage:\n  backend: home-file\n");
        Loaders.write(userConfig, "storage:\n  backend: user-file\n");
        LoadedConfig loaded = loaders.with(Map.of("PRODIGY_HOME", prodigyHome.toString())).load();
        assertThat(loaded.config().backend()).isEqualTo("home-file");
        assertThat(loaded.configFile()).isEqualTo(inHome);
    }

    @Test
    void withProdigyHomeSetButNoFileThereTheUsersFileIsNotRead() {
        Loaders.write(userConfig, "storage:\n  backend: user-file\n");
        LoadedConfig loaded = loaders.with(Map.of("PRODIGY_HOME", dir.resolve("empty").toString())).load();
        assertThat(loaded.config().backend()).isEqualTo("file");
        assertThat(loaded.configFile()).isNull();
    }

    @Test
    void configFileIsTheUsersWhenItExists() {
        assertThat(loaders.with(Map.of()).load().configFile()).isNull();
        Loaders.write(userConfig, "storage:\n  backend: user-file\n");
        LoadedConfig loaded = loaders.with(Map.of()).load();
        assertThat(loaded.config().backend()).isEqualTo("user-file");
        assertThat(loaded.configFilePath()).contains(userConfig);
    }

    @Test
    void aMissingExplicitConfigFileIsAnError() {
        Path missing = dir.resolve("nope.yml");
        assertThatThrownBy(() -> loaders.with(Map.of()).load(ConfigOverrides.NONE.withConfigFile(missing)))
                .isExactlyInstanceOf(StorageConfigException.class)
                .hasMessage("Config file '" + missing + "' does not exist. Check the path (given with --config), or"
                        + " leave it out to use the default config file.");
    }

    @Test
    void anExplicitStorageDirForAnotherBackendIsAnError() {
        ConfigLoader loader = loaders.with(Map.of("PRODIGY_STORAGE_TYPE", "memory"));
        assertThatThrownBy(() -> loader.load(ConfigOverrides.NONE.withStorageDir(Path.of("/x"))))
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("The storage directory (--storage-dir /x) applies only to the file backend, but"
                        + " storage.backend is 'memory' (environment variable PRODIGY_STORAGE_TYPE). Leave out"
                        + " --storage-dir or use the file backend.")
                .extracting(e -> ((StorageConfigException) e).keyPath())
                .isEqualTo("storage.backend_config.base_dir");
    }

    @Test
    void explicitStorageDirExpandsTheHomeTilde() {
        LoadedConfig loaded = loaders.with(Map.of()).load(ConfigOverrides.NONE.withStorageDir(Path.of("~/s")));
        assertThat(loaded.config().backendConfig())
                .containsEntry("base_dir", home.resolve("s").toString());
    }

    @Test
    void anEmptyExplicitBackendIsRejected() {
        assertThatThrownBy(() -> ConfigOverrides.NONE.withBackend(" "))
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Invalid value ' ' for storage.backend: expected a backend name such as file or memory"
                        + " (--backend was given empty).");
    }
}
