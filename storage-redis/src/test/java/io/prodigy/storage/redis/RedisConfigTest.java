package io.prodigy.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding {@code backend_config}: defaults, key paths in errors, secrets never printed. No server needed. */
class RedisConfigTest {

    private static RedisConfig bind(Map<String, Object> raw) {
        return ConfigBinder.bind(raw, RedisConfig.class, RedisConfig.DEFAULT, "storage.backend_config");
    }

    private static StorageConfigException failure(Map<String, Object> raw) {
        Throwable t = catchThrowable(() -> bind(raw));
        assertThat(t).isInstanceOf(StorageConfigException.class);
        return (StorageConfigException) t;
    }

    @Test
    void defaultsApplyToMissingKeys() {
        RedisConfig c = bind(Map.of());
        assertThat(c.url()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.keyPrefix()).isEqualTo("prodigy:");
        assertThat(c.clock()).isEqualTo("server");
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.password()).isNull();
    }

    @Test
    void badValuesNameTheirKeyPath() {
        assertThat(failure(Map.of("key_prefix", "a{b}")).keyPath()).isEqualTo("storage.backend_config.key_prefix");
        assertThat(failure(Map.of("key_prefix", "")).keyPath()).isEqualTo("storage.backend_config.key_prefix");
        assertThat(failure(Map.of("clock", "wall")).keyPath()).isEqualTo("storage.backend_config.clock");
        assertThat(failure(Map.of("poll_interval", "0s")).keyPath())
                .isEqualTo("storage.backend_config.poll_interval");
        StorageConfigException typo = failure(Map.of("key_prefx", "x:"));
        assertThat(typo.keyPath()).isEqualTo("storage.backend_config.key_prefx");
        assertThat(typo.getMessage()).contains("Did you mean 'key_prefix'");
    }

    @Test
    void aUrlThatIsNotRedisFailsAtOpenWithTheUrlKey() {
        for (String url : new String[] {"http://127.0.0.1:6379", "redis://", "redis://127.0.0.1:6379/x"}) {
            Throwable t = catchThrowable(() -> new RedisStorageProvider().open(
                    StorageConfig.forBackend("redis").withBackendOption("url", url), StorageContext.withoutProject()));
            assertThat(t).as(url).isInstanceOf(StorageConfigException.class);
            assertThat(((StorageConfigException) t).keyPath()).isEqualTo("storage.backend_config.url");
        }
    }

    @Test
    void thePasswordNeverPrints() {
        String secret = "pw-" + "Zq81xx";
        RedisConfig c = bind(Map.of("password", secret, "url", "redis://:" + secret + "@127.0.0.1:6379/0"));
        StorageConfig storage = StorageConfig.forBackend("redis").withBackendOption("password", secret)
                .withBackendOption("url", "redis://:" + secret + "@127.0.0.1:6379/0");

        assertThat(c.toString()).doesNotContain(secret).contains("****");
        assertThat(storage.toString()).doesNotContain(secret);
        assertThat(c.password().reveal()).isEqualTo(secret);
    }
}
