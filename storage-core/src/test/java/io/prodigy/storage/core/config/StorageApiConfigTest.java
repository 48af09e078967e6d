package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.CacheConfig;
import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.config.RetryPolicy;
import io.prodigy.storage.config.Secret;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour of storage-api's configuration classes that storage-api's own tests leave out. */
class StorageApiConfigTest {

    @ParameterizedTest
    @ValueSource(strings = {"password", "db_password", "PASSWORD", "passwd", "client-secret", "secret_key", "token",
            "refresh_token", "credentials", "api_key", "aws_access_key", "private_key_path"})
    void secretKeyNames(String key) {
        assertThat(Redaction.isSecretKey(key)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"url", "user", "base_dir", "max_memory", "bucket", "host"})
    void ordinaryKeyNames(String key) {
        assertThat(Redaction.isSecretKey(key)).isFalse();
    }

    @Test
    void urlCredentialsAreRemovedAndTheRestKept() {
        assertThat(Redaction.redactUrl("redis://:s3cr3t@cache:6379/0")).isEqualTo("redis://****@cache:6379/0");
        assertThat(Redaction.redactUrl("see https://u:p@h/x and s3://k@b")).isEqualTo("see https://****@h/x and s3://****@b");
        assertThat(Redaction.redactUrl("postgres://db:5432/x")).isEqualTo("postgres://db:5432/x");
        assertThat(Redaction.redactUrl("user@example.com")).isEqualTo("user@example.com");
    }

    @Test
    void redactionLeavesTheInputUntouched() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("password", "x");
        raw.put("nested", Map.of("token", "y"));
        Map<String, Object> redacted = Redaction.redact(raw);
        assertThat(redacted).containsEntry("password", "****").containsEntry("nested", Map.of("token", "****"));
        assertThat(raw).containsEntry("password", "x");
    }

    @Test
    void secretsHideInToStringAndJsonButCompareByValue() {
        Secret s = Secret.of("hunter2");
        assertThat(s).hasToString("****").isEqualTo(Secret.of("hunter2")).isNotEqualTo(Secret.of("other"));
        assertThat(s.reveal()).isEqualTo("hunter2");
        assertThat(ConfigBinder.toMap(new WithSecret(s))).containsEntry("password", "****");
    }

    record WithSecret(Secret password) {}

    @Test
    void storageConfigRejectsBadValuesInItsConstructor() {
        assertThatThrownBy(() -> StorageConfig.forBackend(" "))
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Invalid value ' ' for backend: expected a backend name such as file or memory.");
        // storage-api words this "a positive a duration such as ..." today; assert around the doubled article.
        assertThatThrownBy(() -> StorageConfig.DEFAULT.withTimeout(Duration.ZERO))
                .hasMessageStartingWith("Invalid value '0s' for timeout: expected a positive ")
                .hasMessageEndingWith("duration such as 500ms, 30s, 1m, 1h or 1m 30s.");
        assertThatThrownBy(() -> new CacheConfig(10, Duration.ofMinutes(1), "disk"))
                .hasMessage("Invalid value 'disk' for cache_type: expected one of: memory.");
    }

    @Test
    void withersChangeOneThing() {
        StorageConfig c = StorageConfig.DEFAULT.withBackendOption("a", 1).withBackendOption("b", 2)
                .withLocking(false).withRetryPolicy(RetryPolicy.NONE).withCache(true, CacheConfig.DEFAULT);
        assertThat(c.backendConfig()).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
        assertThat(c.enableLocking()).isFalse();
        assertThat(c.enableCache()).isTrue();
        assertThat(c.retryPolicy().maxRetries()).isZero();
        assertThat(c.backend()).isEqualTo("file");
        assertThat(StorageConfig.DEFAULT.backendConfig()).isEmpty();
    }

    @Test
    void backendConfigIsImmutable() {
        Map<String, Object> raw = new LinkedHashMap<>(Map.of("k", "v"));
        StorageConfig c = StorageConfig.DEFAULT.withBackendConfig(raw);
        raw.put("k2", "v2");
        assertThat(c.backendConfig()).containsOnlyKeys("k");
        assertThatThrownBy(() -> c.backendConfig().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toMapUsesTheFileSyntax() {
        assertThat(ConfigBinder.toMap(StorageConfig.DEFAULT)).containsEntry("timeout", "30s")
                .containsEntry("retry_policy", Map.of("max_retries", 3, "initial_delay", "1s", "max_delay", "30s",
                        "backoff_multiplier", 2.0, "jitter", true));
        assertThat(ConfigBinder.bind(ConfigBinder.toMap(StorageConfig.DEFAULT), StorageConfig.class,
                StorageConfig.DEFAULT, "storage")).isEqualTo(StorageConfig.DEFAULT);
    }
}
