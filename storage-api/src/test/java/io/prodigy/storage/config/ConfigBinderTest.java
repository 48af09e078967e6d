package io.prodigy.storage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {

    /** A provider-style typed config. */
    record SampleConfig(Path baseDir, long maxFileSize, boolean enableCompression, Duration pollInterval,
            Secret password) {
        static final SampleConfig DEFAULT = new SampleConfig(Path.of("/tmp/x"), 100, false, Duration.ofSeconds(1),
                null);
    }

    private static StorageConfig bindStorage(Map<String, Object> raw) {
        return ConfigBinder.bind(raw, StorageConfig.class, StorageConfig.DEFAULT, "storage");
    }

    @Test
    void emptyInputGivesTheDefaults() {
        assertThat(bindStorage(Map.of())).isEqualTo(StorageConfig.DEFAULT);
        assertThat(bindStorage(null)).isEqualTo(StorageConfig.DEFAULT);
    }

    @Test
    void bindsEveryKeyOfTheStorageBlock() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("backend", "memory");
        raw.put("connection_pool_size", 20);
        raw.put("timeout", "1m 30s");
        raw.put("enable_locking", false);
        raw.put("enable_cache", true);
        raw.put("backend_config", Map.of("max_memory", 1024));
        raw.put("retry_policy", Map.of("max_retries", 5, "initial_delay", "500ms", "max_delay", "1m",
                "backoff_multiplier", 1.5, "jitter", false));
        raw.put("cache_config", Map.of("max_entries", 10, "ttl", "1h", "cache_type", "memory"));

        StorageConfig c = bindStorage(raw);
        assertThat(c.backend()).isEqualTo("memory");
        assertThat(c.connectionPoolSize()).isEqualTo(20);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.enableLocking()).isFalse();
        assertThat(c.enableCache()).isTrue();
        assertThat(c.backendConfig()).containsEntry("max_memory", 1024);
        assertThat(c.retryPolicy()).isEqualTo(
                new RetryPolicy(5, Duration.ofMillis(500), Duration.ofMinutes(1), 1.5, false));
        assertThat(c.cacheConfig()).isEqualTo(new CacheConfig(10, Duration.ofHours(1), "memory"));
    }

    @Test
    void partialNestedBlocksKeepTheOtherDefaults() {
        StorageConfig c = bindStorage(Map.of("retry_policy", Map.of("max_retries", 7)));
        assertThat(c.retryPolicy().maxRetries()).isEqualTo(7);
        assertThat(c.retryPolicy().initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.retryPolicy().jitter()).isTrue();
    }

    @Test
    void unknownKeySuggestsTheClosestOne() {
        assertThatThrownBy(() -> bindStorage(Map.of("retry_policy", Map.of("max_retry", 3))))
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Unknown key 'storage.retry_policy.max_retry'. Did you mean 'max_retries'? Valid keys"
                        + " here: backoff_multiplier, initial_delay, jitter, max_delay, max_retries.")
                .extracting(e -> ((StorageConfigException) e).keyPath())
                .isEqualTo("storage.retry_policy.max_retry");
        assertThatThrownBy(() -> bindStorage(Map.of("zzz", 1))).hasMessageStartingWith("Unknown key 'storage.zzz'. Valid");
    }

    @Test
    void wrongTypesAreRejectedNotCoerced() {
        assertThatThrownBy(() -> bindStorage(Map.of("retry_policy", Map.of("max_retries", "three"))))
                .hasMessage("Invalid value 'three' for storage.retry_policy.max_retries: expected a whole number.");
        assertThatThrownBy(() -> bindStorage(Map.of("enable_cache", "yes")))
                .hasMessage("Invalid value 'yes' for storage.enable_cache: expected true or false.");
        assertThatThrownBy(() -> bindStorage(Map.of("connection_pool_size", 2.5)))
                .hasMessage("Invalid value 2.5 for storage.connection_pool_size: expected a whole number.");
        assertThatThrownBy(() -> bindStorage(Map.of("timeout", 30)))
                .hasMessage("Invalid value 30 for storage.timeout: expected a duration such as 500ms, 30s, 1m, 1h"
                        + " or 1m 30s.");
        assertThatThrownBy(() -> bindStorage(Map.of("timeout", "soon")))
                .hasMessage("Invalid value 'soon' for storage.timeout: expected a duration such as 500ms, 30s, 1m,"
                        + " 1h or 1m 30s.");
    }

    @Test
    void rangeChecksInRecordsReportTheFullKeyPath() {
        assertThatThrownBy(() -> bindStorage(Map.of("retry_policy", Map.of("max_retries", -1))))
                .hasMessage("Invalid value -1 for storage.retry_policy.max_retries: expected a whole number from 0"
                        + " to 100.");
        assertThatThrownBy(() -> bindStorage(Map.of("cache_config", Map.of("cache_type", "redis"))))
                .hasMessage("Invalid value 'redis' for storage.cache_config.cache_type: expected one of: memory.");
        assertThatThrownBy(() -> bindStorage(Map.of("connection_pool_size", 0)))
                .hasMessage("Invalid value 0 for storage.connection_pool_size: expected a whole number from 1 to"
                        + " 1000.");
    }

    @Test
    void bindsProviderConfigWithPathsDurationsAndSecrets() {
        SampleConfig c = ConfigBinder.bind(Map.of("base_dir", "~/data", "password", "hunter2", "poll_interval", "250ms"),
                SampleConfig.class, SampleConfig.DEFAULT, "storage.backend_config");
        assertThat(c.baseDir()).isEqualTo(Path.of(System.getProperty("user.home"), "data"));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.password().reveal()).isEqualTo("hunter2");
        assertThat(c.toString()).doesNotContain("hunter2").contains("****");
        assertThat(c.maxFileSize()).isEqualTo(100);
    }

    @Test
    void secretValuesNeverAppearInErrors() {
        record WithNumberSecret(int apiToken) {
            static final WithNumberSecret DEFAULT = new WithNumberSecret(0);
        }
        assertThatThrownBy(() -> ConfigBinder.bind(Map.of("api_token", "s3cr3t-value"), WithNumberSecret.class,
                WithNumberSecret.DEFAULT, "storage.backend_config"))
                .hasMessage("Invalid value (redacted) for storage.backend_config.api_token: expected a whole number.");
    }

    @Test
    void storageConfigToStringRedactsSecrets() {
        StorageConfig c = StorageConfig.forBackend("postgres")
                .withBackendConfig(Map.of("url", "postgres://app:pa55@db:5432/x", "password", "pa55",
                        "nested", Map.of("secret_key", "k3y")));
        assertThat(c.toString()).doesNotContain("pa55").doesNotContain("k3y")
                .contains("postgres://****@db:5432/x").contains("password=****");
    }

    @Test
    void redactionCoversListsAndPasswordsContainingAt() {
        Map<String, Object> redacted = Redaction.redact(Map.of(
                "urls", List.of("redis://u:p@ss@cache:6379", "redis://cache2:6379"),
                "servers", List.of(Map.of("access_key", "AKIA123"))));
        assertThat(redacted.toString()).doesNotContain("p@ss").doesNotContain("AKIA123")
                .contains("redis://****@cache:6379").contains("redis://cache2:6379");
    }

    @Test
    void urlCredentialsAreRedactedEvenAfterPathNormalizationCollapsedTheSlashes() {
        assertThat(Redaction.redactUrl("/home/me/https:/user:s3cret@host/x")).isEqualTo("/home/me/https:/****@host/x");
        assertThat(Redaction.redactUrl("location postgres://u:p@db:5432/x and redis:///tmp/s"))
                .isEqualTo("location postgres://****@db:5432/x and redis:///tmp/s");
        assertThat(Redaction.redactUrl("/plain/path@2x")).isEqualTo("/plain/path@2x");
    }

    @Test
    void positiveDurationMessageReadsWell() {
        assertThatThrownBy(() -> bindStorage(Map.of("timeout", "0s")))
                .hasMessage("Invalid value '0s' for storage.timeout: expected a positive duration such as 500ms,"
                        + " 30s, 1m, 1h or 1m 30s.");
    }

    @Test
    void didYouMeanOnlySuggestsCloseKeys() {
        assertThat(DidYouMean.closest("bse_dir", List.of("base_dir", "max_file_size"))).contains("base_dir");
        assertThat(DidYouMean.closest("completely_else", List.of("base_dir"))).isEmpty();
    }
}
