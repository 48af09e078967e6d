package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.StorageConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each key of the {@code storage:} block, parsed from YAML, with its default when absent. */
class StorageBlockYamlTest {

    @TempDir
    Path dir;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() {
        loader = new Loaders(dir.resolve("home")).plain();
    }

    private StorageConfig yaml(String text) {
        return loader.fromYaml(text).config();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "storage:\n", "storage: {}\n", "name: build\nsteps: []\n", "- shell: make\n",
            "# only a comment\n"})
    void documentsWithoutSettingsGiveTheDocumentedDefaults(String text) {
        StorageConfig c = yaml(text);
        assertThat(c).isEqualTo(StorageConfig.DEFAULT);
        assertThat(c.backend()).isEqualTo("file");
        assertThat(c.connectionPoolSize()).isEqualTo(10);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.enableLocking()).isTrue();
        assertThat(c.enableCache()).isFalse();
        assertThat(c.backendConfig()).isEmpty();
        assertThat(c.retryPolicy()).isEqualTo(
                new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0, true));
        assertThat(c.cacheConfig()).isEqualTo(new CacheConfig(1000, Duration.ofHours(1), "memory"));
    }

    @Test
    void backend() {
        StorageConfig c = yaml("storage:\n  backend: memory\n");
        assertThat(c.backend()).isEqualTo("memory");
        assertThat(c.withBackend("file")).isEqualTo(StorageConfig.DEFAULT);
    }

    @Test
    void connectionPoolSize() {
        StorageConfig c = yaml("storage:\n  connection_pool_size: 20\n");
        assertThat(c.connectionPoolSize()).isEqualTo(20);
        assertThat(c.backend()).isEqualTo("file");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void timeout() {
        StorageConfig c = yaml("storage:\n  timeout: 60s\n");
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.connectionPoolSize()).isEqualTo(10);
    }

    @Test
    void enableLocking() {
        assertThat(yaml("storage:\n  enable_locking: false\n").enableLocking()).isFalse();
        assertThat(yaml("storage:\n  enable_locking: true\n").enableLocking()).isTrue();
    }

    @Test
    void enableCache() {
        StorageConfig c = yaml("storage:\n  enable_cache: true\n");
        assertThat(c.enableCache()).isTrue();
        assertThat(c.cacheConfig()).isEqualTo(CacheConfig.DEFAULT);
    }

    @Test
    void backendConfigIsPassedThroughAsGiven() {
        StorageConfig c = yaml("""
                storage:
                  backend: file
                  backend_config:
                    base_dir: /Users/username/.prodigy
                    use_global: true
                    enable_file_locks: true
                    max_file_size: 104857600  # 100MB
                    enable_compression: false
                    retention:
                      max_age: 30d
                    mirrors: [a, b]
                """);
        assertThat(c.backendConfig()).containsExactly(
                Map.entry("base_dir", "/Users/username/.prodigy"),
                Map.entry("use_global", true),
                Map.entry("enable_file_locks", true),
                Map.entry("max_file_size", 104857600),
                Map.entry("enable_compression", false),
                Map.entry("retention", Map.of("max_age", "30d")),
                Map.entry("mirrors", List.of("a", "b")));
    }

    @Test
    void retryPolicyKeys() {
        StorageConfig c = yaml("""
                storage:
                  retry_policy:
                    max_retries: 5
                    initial_delay: 500ms
                    max_delay: 1m
                    backoff_multiplier: 1.5
                    jitter: false
                """);
        assertThat(c.retryPolicy()).isEqualTo(
                new RetryPolicy(5, Duration.ofMillis(500), Duration.ofMinutes(1), 1.5, false));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max_retries: 0         | 0 | PT1S   | PT30S | 2.0 | true",
            "initial_delay: 2s      | 3 | PT2S   | PT30S | 2.0 | true",
            "max_delay: 1h          | 3 | PT1S   | PT1H  | 2.0 | true",
            "backoff_multiplier: 3  | 3 | PT1S   | PT30S | 3.0 | true",
            "jitter: false          | 3 | PT1S   | PT30S | 2.0 | false"})
    void eachRetryPolicyKeyAloneKeepsTheOtherDefaults(String line, int retries, Duration initial, Duration max,
            double multiplier, boolean jitter) {
        StorageConfig c = yaml("storage:\n  retry_policy:\n    " + line + "\n");
        assertThat(c.retryPolicy()).isEqualTo(new RetryPolicy(retries, initial, max, multiplier, jitter));
    }

    @Test
    void cacheConfigKeys() {
        StorageConfig c = yaml("""
                storage:
                  enable_cache: true
                  cache_config:
                    max_entries: 50
                    ttl: 1m 30s
                    cache_type: memory
                """);
        assertThat(c.cacheConfig()).isEqualTo(new CacheConfig(50, Duration.ofSeconds(90), "memory"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max_entries: 7 | 7    | PT1H",
            "ttl: 5m        | 1000 | PT5M",
            "cache_type: memory | 1000 | PT1H"})
    void eachCacheKeyAloneKeepsTheOtherDefaults(String line, int entries, Duration ttl) {
        StorageConfig c = yaml("storage:\n  cache_config:\n    " + line + "\n");
        assertThat(c.cacheConfig()).isEqualTo(new CacheConfig(entries, ttl, "memory"));
    }

    @ParameterizedTest
    @CsvSource({"30s,PT30S", "1m,PT1M", "1h,PT1H", "1m 30s,PT1M30S", "500ms,PT0.5S", "'\"1m 30s\"',PT1M30S"})
    void durationSyntaxInEveryDurationKey(String text, Duration expected) {
        StorageConfig c = yaml("storage:\n  timeout: " + text + "\n  retry_policy:\n    initial_delay: " + text
                + "\n    max_delay: 2h\n  cache_config:\n    ttl: " + text + "\n");
        assertThat(c.timeout()).isEqualTo(expected);
        assertThat(c.retryPolicy().initialDelay()).isEqualTo(expected);
        assertThat(c.cacheConfig().ttl()).isEqualTo(expected);
    }

    @Test
    void theCompleteExampleOfTheSpecParses() {
        StorageConfig c = yaml("""
                # Source: src/storage/config.rs - StorageConfig struct
                storage:
                  backend: file                   # (1)!
                  connection_pool_size: 10        # (2)!
                  timeout: 30s
                  enable_locking: true
                  enable_cache: false

                  backend_config:
                    base_dir: /Users/username/.prodigy
                    use_global: true              # (3)!
                    enable_file_locks: true
                    max_file_size: 104857600      # 100MB
                    enable_compression: false

                  retry_policy:
                    max_retries: 3
                    initial_delay: 1s
                    max_delay: 30s
                    backoff_multiplier: 2.0       # (4)!
                    jitter: true

                  cache_config:
                    max_entries: 1000
                    ttl: 1h
                    cache_type: memory
                """);
        assertThat(c.withBackendConfig(Map.of())).isEqualTo(StorageConfig.DEFAULT);
        assertThat(c.backendConfig()).hasSize(5).containsEntry("base_dir", "/Users/username/.prodigy");
    }

    @Test
    void otherTopLevelKeysOfAWorkflowFileAreIgnored() {
        Path workflow = Loaders.write(dir.resolve("workflow.yml"), """
                name: nightly
                mode: mapreduce
                map:
                  input: items.json
                  agent_template:
                    - claude: "/fix ${item}"
                storage:
                  backend: memory
                  timeout: 1m
                """);
        LoadedConfig loaded = loader.fromFile(workflow);
        assertThat(loaded.config().backend()).isEqualTo("memory");
        assertThat(loaded.config().timeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(loaded.configFile()).isEqualTo(workflow);
    }

    @Test
    void sourcesNameTheFileForGivenKeysAndDefaultForTheRest() {
        Path file = Loaders.write(dir.resolve("config.yml"), """
                storage:
                  backend: memory
                  retry_policy:
                    jitter: false
                  backend_config:
                    max_memory: 1024
                """);
        LoadedConfig loaded = loader.fromFile(file);
        SettingSource fromFile = SettingSource.file(file);
        assertThat(loaded.sources()).containsExactly(
                Map.entry("storage.backend", fromFile),
                Map.entry("storage.connection_pool_size", SettingSource.DEFAULT),
                Map.entry("storage.timeout", SettingSource.DEFAULT),
                Map.entry("storage.enable_locking", SettingSource.DEFAULT),
                Map.entry("storage.enable_cache", SettingSource.DEFAULT),
                Map.entry("storage.backend_config.max_memory", fromFile),
                Map.entry("storage.retry_policy.max_retries", SettingSource.DEFAULT),
                Map.entry("storage.retry_policy.initial_delay", SettingSource.DEFAULT),
                Map.entry("storage.retry_policy.max_delay", SettingSource.DEFAULT),
                Map.entry("storage.retry_policy.backoff_multiplier", SettingSource.DEFAULT),
                Map.entry("storage.retry_policy.jitter", fromFile),
                Map.entry("storage.cache_config.max_entries", SettingSource.DEFAULT),
                Map.entry("storage.cache_config.ttl", SettingSource.DEFAULT),
                Map.entry("storage.cache_config.cache_type", SettingSource.DEFAULT));
        assertThat(loaded.sourceOf("storage.backend").describe()).isEqualTo("config file '" + file + "'");
        assertThat(loaded.sourceOf("storage.timeout").describe()).isEqualTo("default");
    }

    @Test
    void inlineYamlIsItsOwnSource() {
        LoadedConfig loaded = loader.fromYaml("storage:\n  backend: memory\n");
        assertThat(loaded.sourceOf("storage.backend")).isEqualTo(SettingSource.inlineYaml());
        assertThat(loaded.sourceOf("storage.backend").describe()).isEqualTo("YAML text");
        assertThat(loaded.configFile()).isNull();
    }
}
