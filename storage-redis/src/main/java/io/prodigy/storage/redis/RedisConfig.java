package io.prodigy.storage.redis;

import io.prodigy.storage.config.Secret;
import io.prodigy.storage.config.StorageConfigException;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code storage.backend_config} of the Redis backend (docs/redis.md). Bind it with
 * {@code ConfigBinder.bind(config.backendConfig(), RedisConfig.class, RedisConfig.DEFAULT, "storage.backend_config")}.
 * {@code connection_pool_size} and {@code timeout} come from the {@code storage:} block.
 *
 * @param url          {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://} for TLS; default
 *                     {@code redis://127.0.0.1:6379}
 * @param password     the password, if not in the URL (it wins over one there); a secret, never printed
 * @param keyPrefix    {@code key_prefix}: the namespace of this store; every key is {@code {key_prefix}…}, one hash
 *                     slot. Default {@code prodigy:}
 * @param clock        {@code server} (default): leases, claims and store stamps use Redis {@code TIME}, one clock for
 *                     every host; {@code client}: they use the caller's clock (for tests that move time)
 * @param pollInterval {@code poll_interval}: the longest a subscriber waits when no pub/sub hint arrives; default 1s
 */
public record RedisConfig(String url, Secret password, String keyPrefix, String clock, Duration pollInterval) {

    /** The defaults. */
    public static final RedisConfig DEFAULT =
            new RedisConfig("redis://127.0.0.1:6379", null, "prodigy:", "server", Duration.ofSeconds(1));

    /** Longest key prefix accepted. */
    static final int MAX_PREFIX = 100;

    public RedisConfig {
        if (url == null || url.isBlank()) {
            throw StorageConfigException.invalidValue("url", url, "a URL such as redis://127.0.0.1:6379/0");
        }
        if (keyPrefix == null || keyPrefix.isEmpty() || keyPrefix.length() > MAX_PREFIX) {
            throw StorageConfigException.invalidValue("key_prefix", keyPrefix,
                    "1 to " + MAX_PREFIX + " characters, for example prodigy:");
        }
        for (int i = 0; i < keyPrefix.length(); i++) {
            char c = keyPrefix.charAt(i);
            if (c == '{' || c == '}' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw StorageConfigException.invalidValue("key_prefix", keyPrefix,
                        "a prefix without '{', '}', white space or control characters (the backend puts it in a"
                                + " hash tag itself)");
            }
        }
        clock = clock == null ? "server" : clock.toLowerCase(Locale.ROOT);
        if (!clock.equals("server") && !clock.equals("client")) {
            throw StorageConfigException.invalidValue("clock", clock, "one of: server, client");
        }
        if (pollInterval == null || pollInterval.isZero() || pollInterval.isNegative()) {
            throw StorageConfigException.invalidValue("poll_interval", pollInterval,
                    "a positive duration such as 500ms or 1s");
        }
    }

    /** Whether leases, claims and stamps use the caller's clock. */
    boolean clientClock() {
        return clock.equals("client");
    }

    @Override
    public String toString() {
        return "RedisConfig[url=" + io.prodigy.storage.config.Redaction.redactUrl(url) + ", password="
                + (password == null ? "(none)" : password) + ", key_prefix=" + keyPrefix + ", clock=" + clock
                + ", poll_interval=" + pollInterval + "]";
    }
}
