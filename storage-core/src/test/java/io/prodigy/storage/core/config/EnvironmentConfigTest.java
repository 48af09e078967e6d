package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.config.StorageConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each environment variable, read from an injected environment. */
class EnvironmentConfigTest {

    private static final String DIR_DEPRECATED = "Environment variable PRODIGY_STORAGE_DIR is deprecated and will be"
            + " removed in a future version; use PRODIGY_STORAGE_BASE_PATH instead.";
    private static final String PATH_DEPRECATED = "Environment variable PRODIGY_STORAGE_PATH is deprecated and will"
            + " be removed in a future version; use PRODIGY_STORAGE_BASE_PATH instead.";

    @TempDir
    Path dir;
    private Loaders loaders;

    @BeforeEach
    void setUp() {
        loaders = new Loaders(dir.resolve("home"));
    }

    private LoadedConfig env(Map<String, String> env) {
        return loaders.with(env).fromEnvironment();
    }

    private static Object baseDir(LoadedConfig loaded) {
        return loaded.config().backendConfig().get("base_dir");
    }

    @Test
    void noVariablesGiveTheDefaults() {
        LoadedConfig loaded = env(Map.of());
        assertThat(loaded.config()).isEqualTo(StorageConfig.DEFAULT);
        assertThat(loaded.sources().values()).containsOnly(SettingSource.DEFAULT);
        assertThat(loaders.warnings).isEmpty();
    }

    @Test
    void storageTypeSelectsTheBackend() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_TYPE", "memory"));
        assertThat(loaded.config().backend()).isEqualTo("memory");
        assertThat(loaded.sourceOf("storage.backend")).isEqualTo(SettingSource.environment("PRODIGY_STORAGE_TYPE"));
        assertThat(loaded.sourceOf("storage.backend").describe())
                .isEqualTo("environment variable PRODIGY_STORAGE_TYPE");
        assertThat(loaded.config().backendConfig()).isEmpty();
    }

    @Test
    void storageTypeIsTakenAsWrittenAndCheckedOnlyWhenOpening() {
        assertThat(env(Map.of("PRODIGY_STORAGE_TYPE", " Postgress ")).config().backend()).isEqualTo("Postgress");
    }

    @Test
    void basePathSetsTheFileBackendsBaseDir() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_BASE_PATH", "/data/prodigy"));
        assertThat(baseDir(loaded)).isEqualTo("/data/prodigy");
        assertThat(loaded.sourceOf("storage.backend_config.base_dir"))
                .isEqualTo(SettingSource.environment("PRODIGY_STORAGE_BASE_PATH"));
        assertThat(loaders.warnings).isEmpty();
    }

    @Test
    void prodigyHomeSetsTheBaseDirWhenNoStorageVariableDoes() {
        LoadedConfig loaded = env(Map.of("PRODIGY_HOME", "/opt/prodigy"));
        assertThat(baseDir(loaded)).isEqualTo("/opt/prodigy");
        assertThat(loaded.sourceOf("storage.backend_config.base_dir"))
                .isEqualTo(SettingSource.environment("PRODIGY_HOME"));
    }

    @Test
    void basePathWinsOverProdigyHome() {
        LoadedConfig loaded = env(Map.of("PRODIGY_HOME", "/opt/prodigy", "PRODIGY_STORAGE_BASE_PATH", "/data"));
        assertThat(baseDir(loaded)).isEqualTo("/data");
        assertThat(loaded.sourceOf("storage.backend_config.base_dir"))
                .isEqualTo(SettingSource.environment("PRODIGY_STORAGE_BASE_PATH"));
    }

    @Test
    void deprecatedStorageDirStillWorksAboveProdigyHomeAndWarns() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_DIR", "/legacy", "PRODIGY_HOME", "/opt/prodigy"));
        assertThat(baseDir(loaded)).isEqualTo("/legacy");
        assertThat(loaded.sourceOf("storage.backend_config.base_dir"))
                .isEqualTo(SettingSource.environment("PRODIGY_STORAGE_DIR"));
        assertThat(loaders.warnings).containsExactly(DIR_DEPRECATED);
    }

    @Test
    void deprecatedStoragePathStillWorksAboveProdigyHomeAndWarns() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_PATH", "/legacy2", "PRODIGY_HOME", "/opt/prodigy"));
        assertThat(baseDir(loaded)).isEqualTo("/legacy2");
        assertThat(loaders.warnings).containsExactly(PATH_DEPRECATED);
    }

    @Test
    void storageDirRanksAboveStoragePath() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_PATH", "/p", "PRODIGY_STORAGE_DIR", "/d"));
        assertThat(baseDir(loaded)).isEqualTo("/d");
        assertThat(loaders.warnings).containsExactly(DIR_DEPRECATED,
                PATH_DEPRECATED + " It is ignored because PRODIGY_STORAGE_DIR is set.");
    }

    @Test
    void basePathRanksAboveBothDeprecatedVariables() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_PATH", "/p", "PRODIGY_STORAGE_DIR", "/d",
                "PRODIGY_STORAGE_BASE_PATH", "/b"));
        assertThat(baseDir(loaded)).isEqualTo("/b");
        assertThat(loaders.warnings).containsExactly(
                DIR_DEPRECATED + " It is ignored because PRODIGY_STORAGE_BASE_PATH is set.",
                PATH_DEPRECATED + " It is ignored because PRODIGY_STORAGE_BASE_PATH is set.");
    }

    @Test
    void useLocalStorageHasNoEffectAndSaysSo() {
        LoadedConfig loaded = env(Map.of("PRODIGY_USE_LOCAL_STORAGE", "true"));
        assertThat(loaded.config()).isEqualTo(StorageConfig.DEFAULT);
        assertThat(loaders.warnings).containsExactly("Environment variable PRODIGY_USE_LOCAL_STORAGE has no effect:"
                + " local (per-project) storage was removed and all data is kept in global storage. Unset it; to"
                + " move the storage directory, set PRODIGY_STORAGE_BASE_PATH.");
    }

    @Test
    void directoryVariablesAreNotGivenToOtherBackends() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_TYPE", "memory", "PRODIGY_STORAGE_BASE_PATH", "/data",
                "PRODIGY_HOME", "/opt/prodigy"));
        assertThat(loaded.config().backend()).isEqualTo("memory");
        assertThat(loaded.config().backendConfig()).isEmpty();
        assertThat(loaded.sources()).doesNotContainKey("storage.backend_config.base_dir");
    }

    @Test
    void fileBackendIsRecognisedIgnoringCase() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_TYPE", "FILE", "PRODIGY_STORAGE_BASE_PATH", "/data"));
        assertThat(baseDir(loaded)).isEqualTo("/data");
    }

    @Test
    void leadingTildeMeansTheUsersHome() {
        String home = loaders.home.toString(); // the loader's home (HomeDirectory: $HOME, else user.home)
        assertThat(baseDir(env(Map.of("PRODIGY_STORAGE_BASE_PATH", "~/store"))))
                .isEqualTo(Path.of(home, "store").toString());
        assertThat(baseDir(env(Map.of("PRODIGY_HOME", "~")))).isEqualTo(Path.of(home).toString());
    }

    @Test
    void blankValuesCountAsUnset() {
        LoadedConfig loaded = env(Map.of("PRODIGY_STORAGE_TYPE", " ", "PRODIGY_STORAGE_BASE_PATH", "",
                "PRODIGY_STORAGE_DIR", "  ", "PRODIGY_USE_LOCAL_STORAGE", ""));
        assertThat(loaded.config()).isEqualTo(StorageConfig.DEFAULT);
        assertThat(loaders.warnings).isEmpty();
    }

    @Test
    void theEnvironmentIsNotReadForFilesOrYamlText() {
        ConfigLoader loader = loaders.with(Map.of("PRODIGY_STORAGE_TYPE", "memory", "PRODIGY_STORAGE_DIR", "/d"));
        assertThat(loader.fromYaml("storage:\n  timeout: 1m\n").config().backend()).isEqualTo("file");
        assertThat(loader.fromYaml("").config().backendConfig()).isEmpty();
        assertThat(loaders.warnings).isEmpty();
    }

    @Test
    void eachDistinctWarningReachesAOnceSinkOnce() {
        List<String> logged = new ArrayList<>();
        ConfigLoader loader = ConfigLoader.system().withUserHome(loaders.home)
                .withEnvironment(Map.of("PRODIGY_USE_LOCAL_STORAGE", "1", "PRODIGY_STORAGE_PATH", "/p"))
                .withWarnings(ConfigWarnings.once(logged::add));
        loader.fromEnvironment();
        loader.fromEnvironment();
        loader.load();
        assertThat(logged).hasSize(2);
        assertThat(logged.get(0)).startsWith("Environment variable PRODIGY_STORAGE_PATH is deprecated");
        assertThat(logged.get(1)).startsWith("Environment variable PRODIGY_USE_LOCAL_STORAGE has no effect");
    }
}
