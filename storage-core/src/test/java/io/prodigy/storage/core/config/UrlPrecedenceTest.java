package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.StorageConfigException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage URL among the other sources: {@code --storage-url} > {@code PRODIGY_STORAGE_URL} > {@code storage.url},
 * what it sets merged with the other keys, and disagreements at one source level refused naming both sources.
 */
class UrlPrecedenceTest {

    private static final SettingSource CLI_URL = SettingSource.explicit("--storage-url");
    private static final SettingSource ENV_URL = SettingSource.environment("PRODIGY_STORAGE_URL");
    private static final String BASE_DIR = "storage.backend_config.base_dir";

    @TempDir
    Path dir;
    private Loaders loaders;
    private Path config;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() {
        loaders = new Loaders(dir.resolve("home"));
        config = dir.resolve("config.yml");
    }

    private LoadedConfig load(ConfigOverrides overrides) {
        return loaders.with(env).load(overrides.withConfigFile(Loaders.write(config, yaml)));
    }

    private String yaml = "storage: {}\n";

    private LoadedConfig load() {
        return load(ConfigOverrides.NONE);
    }

    private static Map<String, String> shown(LoadedConfig loaded) {
        Map<String, String> out = new LinkedHashMap<>();
        loaded.settings().forEach(s -> out.put(s.key(), s.value() + " <- " + s.source().describe()));
        return out;
    }

    @Test
    void urlFollowsFlagThenEnvironmentThenFile() {
        yaml = "storage:\n  url: 'memory:'\n"; // quoted: YAML reads a plain "memory:" at the line's end as a key
        LoadedConfig fromFile = load();
        assertThat(fromFile.config().backend()).isEqualTo("memory");
        assertThat(fromFile.sourceOf("storage.url")).isEqualTo(SettingSource.file(config));
        assertThat(fromFile.sourceOf("storage.backend")).isEqualTo(SettingSource.file(config));

        env.put("PRODIGY_STORAGE_URL", "file:///from-env");
        LoadedConfig fromEnv = load();
        assertThat(fromEnv.config().backend()).isEqualTo("file");
        assertThat(fromEnv.config().backendConfig()).containsEntry("base_dir", "/from-env");
        assertThat(fromEnv.sourceOf("storage.url")).isEqualTo(ENV_URL);
        assertThat(fromEnv.sourceOf(BASE_DIR)).isEqualTo(ENV_URL);

        LoadedConfig fromCli = load(ConfigOverrides.NONE.withUrl("file:///from-cli"));
        assertThat(fromCli.config().backendConfig()).containsEntry("base_dir", "/from-cli");
        assertThat(fromCli.sourceOf("storage.url")).isEqualTo(CLI_URL);
        assertThat(fromCli.sourceOf("storage.backend")).isEqualTo(CLI_URL);
        assertThat(fromCli.url().redacted()).isEqualTo("file:///from-cli");
        assertThat(shown(fromCli)).containsEntry("storage.url", "file:///from-cli <- explicit --storage-url")
                .containsEntry(BASE_DIR, "/from-cli <- explicit --storage-url")
                .containsEntry("storage.timeout", "30s <- default");
        assertThat(fromCli.settings().get(0).key()).as("the URL is listed first").isEqualTo("storage.url");
    }

    @Test
    void onlyTheWinningUrlIsParsed() {
        yaml = "storage:\n  url: 'mysql://nope'\n";
        env.put("PRODIGY_STORAGE_URL", "memory:");
        assertThat(load().config().backend()).isEqualTo("memory");
    }

    @Test
    void keysTheUrlDoesNotSetAreMerged() {
        yaml = """
                storage:
                  url: file:///srv/prodigy
                  timeout: 5s
                  backend_config:
                    max_file_size: 2048
                """;
        LoadedConfig loaded = load();
        assertThat(loaded.config().backendConfig()).containsEntry("base_dir", "/srv/prodigy")
                .containsEntry("max_file_size", 2048);
        assertThat(loaded.sourceOf("storage.backend_config.max_file_size")).isEqualTo(SettingSource.file(config));
        assertThat(loaded.config().timeout()).hasSeconds(5);
    }

    @Test
    void keysGivenBesideTheUrlThatAgreeAreAccepted() {
        yaml = """
                storage:
                  url: postgresql://app@db/prodigy?schema=t1
                  backend: POSTGRES
                  backend_config:
                    schema: t1
                    username: app
                    migration_mode: validate
                """;
        LoadedConfig loaded = load();
        assertThat(loaded.config().backend()).isEqualTo("POSTGRES");
        assertThat(loaded.config().backendConfig()).containsEntry("url", "jdbc:postgresql://db/prodigy")
                .containsEntry("schema", "t1").containsEntry("migration_mode", "validate");

        env.put("PRODIGY_STORAGE_URL", "file:///srv/x");
        env.put("PRODIGY_STORAGE_TYPE", "file");
        env.put("PRODIGY_STORAGE_BASE_PATH", "/srv/x/");
        yaml = "storage: {}\n";
        assertThat(load(ConfigOverrides.NONE).config().backendConfig()).containsEntry("base_dir", "/srv/x");
        assertThat(load(ConfigOverrides.NONE.withUrl("memory:").withBackend("memory")).config().backend())
                .isEqualTo("memory");
    }

    @Test
    void aBackendInTheSameFileThatDisagreesIsRefusedNamingBoth() {
        yaml = "storage:\n  url: postgresql://app:Hunter2@db/prodigy\n  backend: redis\n";
        assertThatThrownBy(this::load).isInstanceOf(StorageConfigException.class)
                .hasMessage("Conflicting settings for storage.backend: the storage URL 'postgresql://****@db/prodigy'"
                        + " (config file '" + config + "') sets 'postgres', but config file '" + config + "' sets"
                        + " 'redis'. Give only one of them, or make them agree.");
    }

    @Test
    void aBackendConfigKeyInTheSameFileThatDisagreesIsRefused() {
        yaml = "storage:\n  url: file:///a\n  backend_config:\n    base_dir: /b\n";
        assertThatThrownBy(this::load).isInstanceOf(StorageConfigException.class)
                .hasMessageContaining("Conflicting settings for storage.backend_config.base_dir: the storage URL"
                        + " 'file:///a' (config file '" + config + "') sets '/a', but config file '" + config
                        + "' sets '/b'.");

        yaml = "storage:\n  url: postgresql://app:Hunter2@db/prodigy\n  backend_config:\n    password: other\n";
        assertThatThrownBy(this::load).isInstanceOf(StorageConfigException.class)
                .hasMessageContaining("storage.backend_config.password").hasMessageContaining("sets '****'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Hunter2", "other"));
    }

    @Test
    void environmentVariablesBesideTheUrlMustAgree() {
        env.put("PRODIGY_STORAGE_URL", "memory:");
        env.put("PRODIGY_STORAGE_TYPE", "file");
        assertThatThrownBy(this::load).isInstanceOf(StorageConfigException.class)
                .hasMessage("Conflicting settings for storage.backend: the storage URL 'memory:' (environment"
                        + " variable PRODIGY_STORAGE_URL) sets 'memory', but environment variable PRODIGY_STORAGE_TYPE"
                        + " sets 'file'. Give only one of them, or make them agree.");

        env.put("PRODIGY_STORAGE_URL", "file:///a");
        env.remove("PRODIGY_STORAGE_TYPE");
        env.put("PRODIGY_STORAGE_BASE_PATH", "/b");
        assertThatThrownBy(this::load).isInstanceOf(StorageConfigException.class)
                .hasMessageContaining("the storage URL 'file:///a' (environment variable PRODIGY_STORAGE_URL) sets"
                        + " '/a', but environment variable PRODIGY_STORAGE_BASE_PATH sets '/b'.");
    }

    @Test
    void prodigyHomeYieldsToAUrlBesideIt() {
        env.put("PRODIGY_STORAGE_URL", "file:///a");
        env.put("PRODIGY_HOME", dir.resolve("prodigy-home").toString());
        LoadedConfig loaded = load();
        assertThat(loaded.config().backendConfig()).containsEntry("base_dir", "/a");
        assertThat(loaded.sourceOf(BASE_DIR)).isEqualTo(ENV_URL);
    }

    @Test
    void flagsBesideTheUrlMustAgree() {
        assertThatThrownBy(() -> load(ConfigOverrides.NONE.withUrl("file:///a").withStorageDir(Path.of("/b"))))
                .isInstanceOf(StorageConfigException.class)
                .hasMessageContaining("the storage URL 'file:///a' (explicit --storage-url) sets '/a', but explicit"
                        + " --storage-dir sets '/b'.");
        assertThat(load(ConfigOverrides.NONE.withUrl("file:///a").withStorageDir(Path.of("/a/./"))).config()
                .backendConfig()).containsEntry("base_dir", "/a/.");

        assertThatThrownBy(() -> load(ConfigOverrides.NONE.withUrl("memory:").withBackend("file")))
                .isInstanceOf(StorageConfigException.class)
                .hasMessageContaining("the storage URL 'memory:' (explicit --storage-url) sets 'memory', but explicit"
                        + " --backend sets 'file'.");

        assertThatThrownBy(() -> load(ConfigOverrides.NONE.withUrl("redis://:Hunter2@cache")
                .withStorageDir(Path.of("/b"))))
                .isInstanceOf(StorageConfigException.class)
                .hasMessageContaining("applies only to the file backend, but storage.backend is 'redis' (explicit"
                        + " --storage-url)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Hunter2"));
    }

    @Test
    void aHigherSourceWinsOverAUrlBelowIt() {
        yaml = "storage:\n  url: file:///from-file\n";
        env.put("PRODIGY_STORAGE_BASE_PATH", "/from-env");
        LoadedConfig fromEnv = load();
        assertThat(fromEnv.config().backendConfig()).containsEntry("base_dir", "/from-env");
        assertThat(fromEnv.sourceOf(BASE_DIR)).isEqualTo(SettingSource.environment("PRODIGY_STORAGE_BASE_PATH"));
        assertThat(load(ConfigOverrides.NONE.withStorageDir(Path.of("/from-cli"))).config().backendConfig())
                .containsEntry("base_dir", "/from-cli");

        yaml = "storage:\n  url: postgresql://app:Hunter2@db/prodigy\n";
        env.put("PRODIGY_STORAGE_TYPE", "memory");
        LoadedConfig memory = load();
        assertThat(memory.config().backend()).isEqualTo("memory");
        assertThat(memory.config().backendConfig()).isEmpty();
        assertThat(memory.url()).isNull();
        assertThat(memory.settings()).noneMatch(s -> s.key().equals("storage.url"));
        assertThat(memory.ignored()).containsExactly("storage.url 'postgresql://****@db/prodigy' from config file '"
                + config + "' was ignored: it selects backend 'postgres', but backend 'memory' was chosen by"
                + " environment variable PRODIGY_STORAGE_TYPE.");
    }

    @Test
    void aHigherBackendThatAgreesKeepsTheUrlsKeys() {
        env.put("PRODIGY_STORAGE_URL", "redis://:pw@cache:6380/1");
        LoadedConfig loaded = load(ConfigOverrides.NONE.withBackend("redis"));
        assertThat(loaded.config().backendConfig()).containsEntry("url", "redis://cache:6380/1")
                .containsEntry("password", "pw");
        assertThat(loaded.sourceOf("storage.backend")).isEqualTo(SettingSource.explicit("--backend"));
        assertThat(loaded.sourceOf("storage.backend_config.url")).isEqualTo(ENV_URL);
    }

    @Test
    void aUrlAboveTheFileReplacesItsBackendAndLeavesItsBackendConfigOut() {
        yaml = "storage:\n  backend: file\n  backend_config:\n    base_dir: /x\n";
        env.put("PRODIGY_STORAGE_URL", "memory:");
        LoadedConfig loaded = load();
        assertThat(loaded.config().backend()).isEqualTo("memory");
        assertThat(loaded.config().backendConfig()).isEmpty();
        assertThat(loaded.ignored()).singleElement().asString().contains("storage.backend_config from config file",
                "it configures backend 'file', but backend 'memory' was chosen by environment variable"
                        + " PRODIGY_STORAGE_URL");
    }

    @Test
    void aUrlAboveTheFileOverridesItsKeysForTheSameBackend() {
        yaml = """
                storage:
                  backend: postgres
                  backend_config:
                    url: jdbc:postgresql://old/prodigy
                    schema: from_file
                    migration_mode: validate
                """;
        env.put("PRODIGY_STORAGE_URL", "postgresql://app@new/prodigy");
        LoadedConfig loaded = load();
        assertThat(loaded.config().backendConfig()).containsEntry("url", "jdbc:postgresql://new/prodigy")
                .containsEntry("schema", "from_file").containsEntry("migration_mode", "validate");
        assertThat(loaded.sourceOf("storage.backend_config.url")).isEqualTo(ENV_URL);
        assertThat(loaded.sourceOf("storage.backend_config.schema")).isEqualTo(SettingSource.file(config));

        env.put("PRODIGY_STORAGE_URL", "postgresql://app@new/prodigy?schema=from_env");
        assertThat(load().config().backendConfig()).containsEntry("schema", "from_env");
    }

    @Test
    void theFilesUrlDecidesWhichBackendItsBackendConfigBelongsTo() {
        yaml = "storage:\n  url: postgresql://db/prodigy\n  backend_config:\n    migration_mode: none\n";
        env.put("PRODIGY_STORAGE_TYPE", "memory");
        assertThat(load().ignored()).anySatisfy(note -> assertThat(note).contains(
                "it configures backend 'postgres' (by its storage.url), but backend 'memory' was chosen by"));
    }

    @Test
    void aMalformedUrlNamesWhereItWasSet() {
        env.put("PRODIGY_STORAGE_URL", "postgresql://app:Hunter2@db:70000/prodigy");
        assertThatThrownBy(this::load).isInstanceOf(StorageConfigException.class)
                .hasMessage("Invalid storage URL 'postgresql://****@db:70000/prodigy' in storage.url: the port is not"
                        + " a whole number from 1 to 65535. Expected postgresql://user[:password]@host[:port]/database"
                        + "[?schema=NAME]. Source: environment variable PRODIGY_STORAGE_URL.");
        env.clear();

        yaml = "storage:\n  url: file:relative\n";
        assertThatThrownBy(this::load).hasMessageContaining("the path is relative")
                .hasMessageEndingWith("Source: config file '" + config + "'.");
        assertThatThrownBy(() -> load(ConfigOverrides.NONE.withUrl("nosuch://x")))
                .hasMessageStartingWith("Unknown scheme 'nosuch'").hasMessageEndingWith("Source: explicit --storage-url.");

        yaml = "storage:\n  url: {password: Hunter2}\n";
        assertThatThrownBy(this::load).isInstanceOf(StorageConfigException.class)
                .hasMessageStartingWith("Invalid value for storage.url: expected a storage URL as text")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Hunter2"));

        assertThatThrownBy(() -> ConfigOverrides.NONE.withUrl(" ")).isInstanceOf(StorageConfigException.class)
                .hasMessageContaining("--storage-url was given empty");
    }

    @Test
    void passwordsAreMaskedInEveryView() {
        env.put("PRODIGY_STORAGE_URL", "postgresql://app:Hunter2@db/prodigy?schema=t1");
        LoadedConfig loaded = load();
        assertThat(loaded.config().backendConfig()).containsEntry("password", "Hunter2");
        assertThat(shown(loaded)).containsEntry("storage.url",
                        "postgresql://****@db/prodigy?schema=t1 <- environment variable PRODIGY_STORAGE_URL")
                .containsEntry("storage.backend_config.password", "**** <- environment variable PRODIGY_STORAGE_URL")
                .containsEntry("storage.backend_config.username", "app <- environment variable PRODIGY_STORAGE_URL");
        assertThat(loaded.toString()).doesNotContain("Hunter2").contains("url=postgresql://****@db/prodigy");
        assertThat(loaded.redacted()).doesNotContain("Hunter2");
        assertThat(loaded.config().toString()).doesNotContain("Hunter2");
        assertThat(shown(loaded).toString()).doesNotContain("Hunter2");
        assertThat(ConfigOverrides.NONE.withUrl("redis://:Hunter2@h").toString()).doesNotContain("Hunter2")
                .contains("redis://****@h");
    }

    @Test
    void fromUrlConfiguresOneStoreWithTheOptionAsSource() {
        LoadedConfig loaded = loaders.plain().fromUrl("redis://:pw@cache/3?prefix=p:", "--to");
        assertThat(loaded.config().backend()).isEqualTo("redis");
        assertThat(loaded.config().backendConfig()).containsEntry("url", "redis://cache/3")
                .containsEntry("key_prefix", "p:");
        assertThat(loaded.sourceOf("storage.backend_config.key_prefix")).isEqualTo(SettingSource.explicit("--to"));
        assertThat(loaded.sourceOf("storage.timeout")).isEqualTo(SettingSource.DEFAULT);
        assertThatThrownBy(() -> loaders.plain().fromUrl("redis://h:0", "--to"))
                .hasMessageEndingWith("Source: explicit --to.");
    }
}
