package io.prodigy.storage.core.config.url;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one table between storage URLs and configuration: which scheme selects which backend, the form each scheme
 * takes, and which {@code backend_config} key (and which query parameter, if any) each part of the URL sets. The
 * PostgreSQL, Redis and S3 backends bind exactly these key names; when one of them renames a key, change it here and
 * nowhere else.
 */
final class UrlTable {

    private UrlTable() {}

    /** A URL form: the backend it selects and the schemes that spell it. */
    enum Form {
        FILE("file", "file:///absolute/path", "file"),
        MEMORY("memory", "memory:", "memory"),
        POSTGRES("postgres", "postgresql://user[:password]@host[:port]/database[?schema=NAME]", "postgresql",
                "postgres"),
        REDIS("redis", "redis://[:password@]host[:port][/db][?prefix=NAME] (rediss:// for TLS)", "redis", "rediss"),
        S3("s3", "s3://bucket[/prefix][?endpoint=URL&region=REGION&path_style=true]", "s3");

        private final String backend;
        private final String syntax;
        private final List<String> schemes;

        Form(String backend, String syntax, String... schemes) {
            this.backend = backend;
            this.syntax = syntax;
            this.schemes = List.of(schemes);
        }

        /** The {@code storage.backend} this form selects. */
        String backend() {
            return backend;
        }

        /** The form as users write it, for messages. */
        String syntax() {
            return syntax;
        }

        /** The form a scheme (any case) belongs to. */
        static Optional<Form> ofScheme(String scheme) {
            String s = scheme.toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(f -> f.schemes.contains(s)).findFirst();
        }

        /** Every form, separated by semicolons, for the message about an unknown scheme. */
        static String all() {
            return String.join("; ", Arrays.stream(values()).map(Form::syntax).toList());
        }

        /** The query parameters this form takes, in table order. */
        List<Key> queryKeys() {
            return Arrays.stream(Key.values()).filter(k -> k.form == this && k.queryParameter != null).toList();
        }
    }

    /**
     * One {@code backend_config} key a URL sets.
     */
    enum Key {
        FILE_BASE_DIR(Form.FILE, "base_dir", null),
        POSTGRES_URL(Form.POSTGRES, "url", null),
        POSTGRES_USERNAME(Form.POSTGRES, "username", null),
        POSTGRES_PASSWORD(Form.POSTGRES, "password", null),
        POSTGRES_SCHEMA(Form.POSTGRES, "schema", "schema"),
        REDIS_URL(Form.REDIS, "url", null),
        REDIS_PASSWORD(Form.REDIS, "password", null),
        REDIS_KEY_PREFIX(Form.REDIS, "key_prefix", "prefix"),
        S3_BUCKET(Form.S3, "bucket", null),
        S3_PREFIX(Form.S3, "prefix", null),
        S3_ENDPOINT(Form.S3, "endpoint", "endpoint"),
        S3_REGION(Form.S3, "region", "region"),
        S3_PATH_STYLE(Form.S3, "path_style", "path_style");

        private final Form form;
        private final String configKey;
        private final String queryParameter;

        Key(Form form, String configKey, String queryParameter) {
            this.form = form;
            this.configKey = configKey;
            this.queryParameter = queryParameter;
        }

        /** The key under {@code backend_config}. */
        String configKey() {
            return configKey;
        }

        /** The query parameter that sets it, or {@code null} if another part of the URL does. */
        String queryParameter() {
            return queryParameter;
        }
    }
}
