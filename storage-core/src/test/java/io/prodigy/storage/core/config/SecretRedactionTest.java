package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets in {@code backend_config} never reach toString, the info listing, or error messages. */
class SecretRedactionTest {

    private static final String YAML = """
            storage:
              backend: postgres
              backend_config:
                url: postgres://app:pa55w0rd@db.example:5432/prodigy
                password: pa55w0rd
                replicas: [postgres://ro:r3pl1ca@db2:5432/prodigy, db3]
                auth:
                  api_token: t0k3n
                  user: app
            """;

    @TempDir
    Path dir;

    private LoadedConfig load() {
        return new Loaders(dir).plain().fromYaml(YAML);
    }

    @Test
    void toStringNeverShowsSecrets() {
        LoadedConfig loaded = load();
        assertThat(loaded.toString()).doesNotContain("pa55w0rd", "r3pl1ca", "t0k3n")
                .contains("url=postgres://****@db.example:5432/prodigy", "password=****",
                        "replicas=[postgres://****@db2:5432/prodigy, db3]", "api_token=****", "user=app");
        assertThat(loaded.config().toString()).doesNotContain("pa55w0rd", "t0k3n");
    }

    @Test
    void redactedSummaryIsTheWholeConfigurationOnOneLine() {
        assertThat(load().redacted()).isEqualTo("{backend=postgres, connection_pool_size=10, timeout=30s,"
                + " enable_locking=true, enable_cache=false, backend_config={url=postgres://****@db.example:5432/"
                + "prodigy, password=****, replicas=[postgres://****@db2:5432/prodigy, db3], auth={api_token=****,"
                + " user=app}}, retry_policy={max_retries=3, initial_delay=1s, max_delay=30s, backoff_multiplier=2.0,"
                + " jitter=true}, cache_config={max_entries=1000, ttl=1h, cache_type=memory}}");
    }

    @Test
    void settingsListingMasksSecretsKeyByKey() {
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        load().settings().forEach(s -> shown.put(s.key(), s.value()));
        assertThat(shown).containsEntry("storage.backend_config.url", "postgres://****@db.example:5432/prodigy")
                .containsEntry("storage.backend_config.password", "****")
                .containsEntry("storage.backend_config.replicas", "[postgres://****@db2:5432/prodigy, db3]")
                .containsEntry("storage.backend_config.auth.api_token", "****")
                .containsEntry("storage.backend_config.auth.user", "app")
                .containsEntry("storage.timeout", "30s");
        assertThat(shown.values()).noneMatch(v -> v.contains("pa55w0rd") || v.contains("t0k3n")
                || v.contains("r3pl1ca"));
    }

    @Test
    void errorsAboutSecretKeysDoNotRepeatTheValue() {
        assertThatThrownBy(() -> new Loaders(dir).plain().fromYaml("storage:\n  password: hunter2\n"))
                .hasMessageStartingWith("Unknown key 'storage.password'.")
                .message().doesNotContain("hunter2");
    }
}
