package io.prodigy.storage.core.config.url;

import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One URL that selects and configures a backend, as users of databases expect (docs/configuration.md):
 * <ul>
 *   <li>{@code file:///absolute/path} → {@code file}, {@code base_dir};</li>
 *   <li>{@code memory:} → {@code memory};</li>
 *   <li>{@code postgresql://user[:password]@host[:port]/database[?schema=NAME]} (also {@code postgres://}) →
 *       {@code postgres}, {@code url} (the JDBC URL {@code jdbc:postgresql://host[:port]/database}),
 *       {@code username}, {@code password}, {@code schema};</li>
 *   <li>{@code redis://[:password@]host[:port][/db][?prefix=NAME]} and {@code rediss://} → {@code redis},
 *       {@code url} (without the password), {@code password}, {@code key_prefix};</li>
 *   <li>{@code s3://bucket[/prefix][?endpoint=URL&region=R&path_style=true]} → {@code s3}, {@code bucket},
 *       {@code prefix}, {@code endpoint}, {@code region}, {@code path_style}. S3 credentials never go in the URL:
 *       they come from the standard AWS environment variables or the default chain.</li>
 * </ul>
 * Schemes are case-insensitive; user, password, path and query values are percent-decoded. Which key each part sets
 * is kept in one table ({@code UrlTable}).
 *
 * @param backend       the {@code storage.backend} the URL selects
 * @param backendConfig the {@code backend_config} keys the URL sets (a password in clear: pass it on, never show it)
 * @param redacted      the URL as it may be shown: credentials masked
 */
public record StorageUrl(String backend, Map<String, Object> backendConfig, String redacted) {

    /** The key path of the setting in the {@code storage:} block. */
    public static final String KEY = "storage.url";

    public StorageUrl {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(redacted, "redacted");
        backendConfig = Collections.unmodifiableMap(new LinkedHashMap<>(backendConfig));
    }

    /**
     * Parses a storage URL.
     *
     * @throws StorageConfigException (key {@code storage.url}) for an unknown scheme, a bad port, an unknown query
     *                                parameter, a relative file path or any other malformed part; the message shows
     *                                the URL with credentials masked and the form that is expected
     */
    public static StorageUrl parse(String text) {
        return UrlParser.parse(text);
    }

    /**
     * The backend a URL's scheme selects, without parsing the rest; empty if the text has no known scheme. For
     * deciding which backend a setting belongs to when the URL itself is not used.
     */
    public static Optional<String> backendOf(String text) {
        return UrlParser.scheme(text).flatMap(UrlTable.Form::ofScheme).map(UrlTable.Form::backend);
    }

    /**
     * {@code text} as it may be shown in messages and logs: everything between the scheme and the last {@code @}
     * masked (so a password with an unencoded {@code /} or {@code @} does not leak either), and credentials in any URL
     * inside it removed.
     */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        int start = UrlParser.scheme(text).map(s -> s.length() + 1).orElse(0);
        while (start < text.length() && text.charAt(start) == '/') {
            start++;
        }
        int at = text.lastIndexOf('@');
        String masked = at >= start ? text.substring(0, start) + Redaction.MASK + text.substring(at) : text;
        return Redaction.redactUrl(masked);
    }

    /** {@code config} with this URL's backend and its {@code backend_config} keys added (replacing equal keys). */
    public StorageConfig applyTo(StorageConfig config) {
        Map<String, Object> merged = config.backend().strip().equalsIgnoreCase(backend)
                ? new LinkedHashMap<>(config.backendConfig()) : new LinkedHashMap<>();
        merged.putAll(backendConfig);
        return config.withBackend(backend).withBackendConfig(merged);
    }

    /** The defaults of docs/configuration.md with this URL applied. */
    public StorageConfig toConfig() {
        return applyTo(StorageConfig.DEFAULT);
    }

    /** The URL with credentials masked, never the password. */
    @Override
    public String toString() {
        return redacted;
    }
}
