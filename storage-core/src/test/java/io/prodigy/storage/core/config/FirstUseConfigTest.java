package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.StorageConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: what a new user hit in configuration loading (home directory, backend_config, booleans). */
class FirstUseConfigTest {

    /** docs/configuration.md's complete example, saved as ~/.prodigy/config.yml. */
    static final String DOCS_EXAMPLE = """
            storage:
              backend: file
              connection_pool_size: 10
              timeout: 30s
              enable_locking: true
              enable_cache: false
              backend_config:
                base_dir: ~/.prodigy
              retry_policy:
                max_retries: 3
                initial_delay: 1s
                max_delay: 30s
                backoff_multiplier: 2.0
                jitter: true
              cache_config:
                max_entries: 1000
                ttl: 1h
                cache_type: memory
            """;

    @TempDir
    Path tmp;

    private ConfigLoader loaderWithHome(Path home, Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(more);
        env.put("HOME", home.toString());
        return ConfigLoader.system().withEnvironment(env).withWarnings(w -> { });
    }

    @Test
    void homeComesFromTheEnvironmentsHomeVariable() {
        Path home = tmp.resolve("home");
        Path config = Loaders.write(home.resolve(".prodigy/config.yml"), "storage:\n  timeout: 7s\n");

        LoadedConfig loaded = loaderWithHome(home, Map.of()).load();

        assertThat(loaded.configFile()).as("$HOME/.prodigy/config.yml is read").isEqualTo(config);
        assertThat(loaded.config().timeout()).hasSeconds(7);
        assertThat(loaded.config().backendConfig().get("base_dir"))
                .as("the file backend's default base_dir is $HOME/.prodigy").isEqualTo(home.resolve(".prodigy").toString());
        assertThat(loaded.sourceOf("storage.backend_config.base_dir")).isEqualTo(SettingSource.DEFAULT);
    }

    @Test
    void tildeInTheFileAndInEnvironmentVariablesMeansHome() {
        Path home = tmp.resolve("home");
        Loaders.write(home.resolve(".prodigy/config.yml"), "storage:\n  backend_config:\n    base_dir: ~/data\n");
        assertThat(loaderWithHome(home, Map.of()).load().config().backendConfig().get("base_dir"))
                .isEqualTo(home.resolve("data").toString());

        LoadedConfig fromEnv = loaderWithHome(home, Map.of("PRODIGY_STORAGE_BASE_PATH", "~/elsewhere")).load();
        assertThat(fromEnv.config().backendConfig().get("base_dir")).isEqualTo(home.resolve("elsewhere").toString());

        LoadedConfig prodigyHome = loaderWithHome(home, Map.of("PRODIGY_HOME", "~/ph")).load();
        assertThat(prodigyHome.config().backendConfig().get("base_dir")).isEqualTo(home.resolve("ph").toString());
    }

    @Test
    void aFileBackendConfigDoesNotBlockAnotherBackendChosenAbove() {
        Path home = tmp.resolve("home");
        Path config = Loaders.write(home.resolve(".prodigy/config.yml"), DOCS_EXAMPLE);

        for (LoadedConfig loaded : new LoadedConfig[] {
                loaderWithHome(home, Map.of("PRODIGY_STORAGE_TYPE", "memory")).load(),
                loaderWithHome(home, Map.of()).load(ConfigOverrides.NONE.withBackend("memory"))}) {
            assertThat(loaded.config().backend()).isEqualTo("memory");
            assertThat(loaded.config().backendConfig()).isEmpty();
            assertThat(loaded.config().timeout()).as("the rest of the file still applies").hasSeconds(30);
            assertThat(loaded.ignored()).singleElement().asString()
                    .contains("storage.backend_config", config.toString(), "configures backend 'file'",
                            "backend 'memory' was chosen by");
        }
        // The same backend chosen above: the file's backend_config applies.
        LoadedConfig same = loaderWithHome(home, Map.of("PRODIGY_STORAGE_TYPE", "FILE")).load();
        assertThat(same.config().backendConfig().get("base_dir")).isEqualTo(home.resolve(".prodigy").toString());
        assertThat(same.ignored()).isEmpty();
    }

    @Test
    void yamlOneOneBooleanWordsAreRejectedWithTheKeyPath() {
        for (String word : new String[] {"no", "yes", "on", "off", "No", "OFF"}) {
            Path file = Loaders.write(tmp.resolve(word + ".yml"), "storage:\n  enable_locking: " + word + "\n");
            assertThatThrownBy(() -> loaderWithHome(tmp, Map.of()).load(ConfigOverrides.NONE.withConfigFile(file)))
                    .as(word).isInstanceOf(StorageConfigException.class)
                    .hasMessageContaining("storage.enable_locking").hasMessageContaining("true or false")
                    .hasMessageContaining("'" + word + "'");
        }
        Path ok = Loaders.write(tmp.resolve("ok.yml"), "storage:\n  enable_locking: false\n");
        assertThat(loaderWithHome(tmp, Map.of()).load(ConfigOverrides.NONE.withConfigFile(ok)).config().enableLocking())
                .isFalse();
    }
}
