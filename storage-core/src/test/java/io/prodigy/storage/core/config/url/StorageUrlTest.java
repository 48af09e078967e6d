package io.prodigy.storage.core.config.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every URL form and every error of {@link StorageUrl#parse}, as tables. */
class StorageUrlTest {

    /** Alternating key and value, in the order the parser puts them. */
    private static Map<String, Object> keys(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> validUrls() {
        return Stream.of(
                Arguments.of("file:///srv/prodigy", "file", keys("base_dir", "/srv/prodigy")),
                Arguments.of("FILE:///srv/prodigy/", "file", keys("base_dir", "/srv/prodigy")),
                Arguments.of("file://localhost/srv/x", "file", keys("base_dir", "/srv/x")),
                Arguments.of("file:/srv/x", "file", keys("base_dir", "/srv/x")),
                Arguments.of("  file:///srv/my%20data  ", "file", keys("base_dir", "/srv/my data")),
                Arguments.of("memory:", "memory", keys()),
                Arguments.of("Memory:", "memory", keys()),
                Arguments.of("postgresql://app:s3cret@db.example:5433/prodigy?schema=tenant1", "postgres",
                        keys("url", "jdbc:postgresql://db.example:5433/prodigy", "username", "app",
                                "password", "s3cret", "schema", "tenant1")),
                Arguments.of("postgres://app@db/prodigy", "postgres",
                        keys("url", "jdbc:postgresql://db/prodigy", "username", "app")),
                Arguments.of("postgresql://db/prodigy", "postgres", keys("url", "jdbc:postgresql://db/prodigy")),
                Arguments.of("postgresql://app:p%40ss%2Fw%3Ard%25@db/prodigy", "postgres",
                        keys("url", "jdbc:postgresql://db/prodigy", "username", "app", "password", "p@ss/w:rd%")),
                Arguments.of("postgresql://us%65r:a+b:c@[::1]:5432/db", "postgres",
                        keys("url", "jdbc:postgresql://[::1]:5432/db", "username", "user", "password", "a+b:c")),
                Arguments.of("postgresql://app:@db_host/my%2Ddb?schema=s%20x", "postgres",
                        keys("url", "jdbc:postgresql://db_host/my%2Ddb", "username", "app", "schema", "s x")),
                Arguments.of("redis://localhost", "redis", keys("url", "redis://localhost")),
                Arguments.of("redis://:s3cret@cache:6380/2?prefix=tenant1:", "redis",
                        keys("url", "redis://cache:6380/2", "password", "s3cret", "key_prefix", "tenant1:")),
                Arguments.of("rediss://:p%2Fw@cache/0", "redis", keys("url", "rediss://cache/0", "password", "p/w")),
                Arguments.of("REDIS://cache/", "redis", keys("url", "redis://cache")),
                Arguments.of("s3://bucket", "s3", keys("bucket", "bucket")),
                Arguments.of("s3://my-bucket/some/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1"
                        + "&path_style=true", "s3", keys("bucket", "my-bucket", "prefix", "some/prefix",
                        "endpoint", "http://127.0.0.1:9000", "region", "us-east-1", "path_style", true)),
                Arguments.of("s3://b/p?path_style=false", "s3", keys("bucket", "b", "prefix", "p",
                        "path_style", false)),
                Arguments.of("s3://b/my%20prefix/?endpoint=https%3A%2F%2Fminio.local%3A9000", "s3",
                        keys("bucket", "b", "prefix", "my prefix/", "endpoint", "https://minio.local:9000")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validUrls")
    void parsesEveryForm(String url, String backend, Map<String, Object> expected) {
        StorageUrl parsed = StorageUrl.parse(url);
        assertThat(parsed.backend()).isEqualTo(backend);
        assertThat(parsed.backendConfig()).containsExactlyEntriesOf(expected);
        assertThat(StorageUrl.backendOf(url)).contains(backend);
    }

    static Stream<Arguments> badUrls() {
        return Stream.of(
                Arguments.of("", "The storage URL in storage.url is empty. Expected one of: file:///absolute/path;"
                        + " memory:; postgresql://"),
                Arguments.of("   ", "is empty"),
                Arguments.of("/srv/prodigy", "it has no scheme. For a directory write file:///srv/prodigy."),
                Arguments.of("srv/prodigy", "it has no scheme. Expected one of: file:///absolute/path"),
                Arguments.of("mysql://u:pw@h/db", "Unknown scheme 'mysql' in storage URL 'mysql://****@h/db'"
                        + " (storage.url). Expected one of: file:///absolute/path; memory:; postgresql://"),
                Arguments.of("file:relative/dir", "the path is relative"),
                Arguments.of("file:~/prodigy", "the path is relative (or starts with ~, which URLs do not expand)"),
                Arguments.of("file://dir/x", "it names a host: file URLs name a local absolute path"),
                Arguments.of("file:", "nothing follows 'file:'"),
                Arguments.of("file:///x?foo=1", "unknown query parameter 'foo'; this form takes none"),
                Arguments.of("file:///x#frag", "it has a fragment"),
                Arguments.of("file:///my data", "it is not a valid URL (Illegal character in path at index 10)."
                        + " Percent-encode reserved characters"),
                Arguments.of("memory:x", "the memory backend takes nothing after 'memory:'"),
                Arguments.of("memory://", "the memory backend takes nothing after 'memory:'"),
                Arguments.of("postgresql://u@h:99999/db", "the port is not a whole number from 1 to 65535"),
                Arguments.of("postgresql://u@h:0/db", "the port is not a whole number from 1 to 65535"),
                Arguments.of("postgresql://u@h:abc/db", "the port is not a whole number from 1 to 65535"),
                Arguments.of("postgresql://u@h:/db", "the port is not a whole number from 1 to 65535"),
                Arguments.of("postgresql://u@h", "it names no database: add /DATABASE after the host"),
                Arguments.of("postgresql://u@h/", "it names no database"),
                Arguments.of("postgresql://u@h/a/b", "the path after the host must be a single /DATABASE"),
                Arguments.of("postgresql:///db", "it names no host"),
                Arguments.of("postgresql://u:pw@/db", "it names no host"),
                Arguments.of("postgresql:db", "it names no host (write postgresql://...)"),
                Arguments.of("postgresql://u@h/db?sslmode=require", "unknown query parameter 'sslmode'; valid:"
                        + " schema. Expected postgresql://user[:password]@host[:port]/database[?schema=NAME]."),
                Arguments.of("postgresql://u@h/db?schema=", "the query parameter 'schema' is empty"),
                Arguments.of("postgresql://u@h/db?schema", "the query parameter 'schema' has no value"),
                Arguments.of("postgresql://u@h/db?schema=a&schema=b", "'schema' is given more than once"),
                Arguments.of("postgresql://u:p%zz@h/db", "it has a bad percent-escape at index 16 (% must be followed"
                        + " by two hex digits; write a literal % as %25)"),
                Arguments.of("postgresql://u@h/d%zzb", "it has a bad percent-escape at index 18"),
                Arguments.of("postgresql://u:pw@h/db#x", "it has a fragment"),
                Arguments.of("postgresql://u:pw@[::1/db", "Invalid storage URL"),
                Arguments.of("redis://user:pw@h", "it has a user name: Redis URLs take only a password"),
                Arguments.of("redis://pw@h", "it has a user name: Redis URLs take only a password"),
                Arguments.of("redis://h/abc", "the database '/abc' is not a whole number"),
                Arguments.of("redis://h/1?db=2", "unknown query parameter 'db'; valid: prefix"),
                Arguments.of("redis://h:65536", "the port is not a whole number from 1 to 65535"),
                Arguments.of("s3://", "it is not a valid URL"),
                Arguments.of("s3:///prefix", "it names no bucket"),
                Arguments.of("s3://AKIA:secret@bucket", "it holds credentials; S3 credentials come from the"
                        + " standard AWS environment variables"),
                Arguments.of("s3://bucket:9000", "the bucket name has a port"),
                Arguments.of("s3://b?endpoint=minio:9000", "the endpoint must be an http:// or https:// URL"),
                Arguments.of("s3://b?endpoint=http://ak:sk@minio", "the endpoint holds credentials"),
                Arguments.of("s3://b?path_style=yes", "path_style must be true or false, was 'yes'"),
                Arguments.of("s3://b?acl=private", "unknown query parameter 'acl'; valid: endpoint, region,"
                        + " path_style"),
                Arguments.of("s3://b?region=", "the query parameter 'region' is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUrls")
    void refusesWhatIsNotAForm(String url, String expected) {
        assertThatThrownBy(() -> StorageUrl.parse(url))
                .isInstanceOfSatisfying(StorageConfigException.class, e -> {
                    assertThat(e.keyPath()).isEqualTo("storage.url");
                    assertThat(e.getMessage()).contains(expected).contains("Expected");
                });
    }

    static Stream<String> urlsWithSecrets() {
        return Stream.of("postgresql://app:Hunter2@h:99999/db", "postgresql://app:Hun/ter2@h/db",
                "postgresql://app:Hun?ter2@h/db", "postgresql://app:Hun#ter2@h/db", "postgresql://app:Hunter2@h",
                "redis://:Hunter2@h/x", "redis://admin:Hunter2@h", "rediss://:Hun@ter2@h/db?prefix=",
                "s3://AKIA:Hunter2@b", "s3://b?endpoint=http://ak:Hunter2@minio", "mysql://app:Hunter2@h/db",
                "postgresql://app:Hunter2%zz@h/db", "postgresql://app:Hunter2@h/db?password=x");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urlsWithSecrets")
    void errorsNeverShowThePassword(String url) {
        assertThatThrownBy(() -> StorageUrl.parse(url)).isInstanceOf(StorageConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Hunter2", "Hun", "ter2"));
    }

    @Test
    void theUrlIsShownWithItsCredentialsMasked() {
        StorageUrl pg = StorageUrl.parse("postgresql://app:Hunter2@db:5432/prodigy?schema=t1");
        assertThat(pg.redacted()).isEqualTo("postgresql://****@db:5432/prodigy?schema=t1");
        assertThat(pg.toString()).isEqualTo(pg.redacted());
        assertThat(pg.toConfig().toString()).doesNotContain("Hunter2").contains("password=****");
        assertThat(StorageUrl.parse("redis://:Hunter2@cache/1").toString()).isEqualTo("redis://****@cache/1");
        assertThat(StorageUrl.parse("memory:").toString()).isEqualTo("memory:");
        // A password with an unencoded / or @ is still masked up to the last @.
        assertThat(StorageUrl.redact("postgresql://u:pa/ss@h/db")).isEqualTo("postgresql://****@h/db");
        assertThat(StorageUrl.redact("postgresql://u:p@ss@h/db")).isEqualTo("postgresql://****@h/db");
        assertThat(StorageUrl.redact("file:///srv/x")).isEqualTo("file:///srv/x");
        assertThat(StorageUrl.redact(null)).isNull();
    }

    @Test
    void theExpectedFormsSurviveTheSharedRedactionAndRealCredentialsDoNot() {
        // The CLI passes every message through Redaction.redactUrl at its output boundary.
        assertThatThrownBy(() -> StorageUrl.parse("postgresql://app:Hunter2@h:0/db"))
                .satisfies(e -> assertThat(Redaction.redactUrl(e.getMessage()))
                        .contains("'postgresql://****@h:0/db'",
                                "Expected postgresql://user[:password]@host[:port]/database[?schema=NAME].")
                        .doesNotContain("Hunter2"));
        assertThat(Redaction.redactUrl("Expected redis://[:password@]host[:port][/db][?prefix=NAME]"))
                .isEqualTo("Expected redis://[:password@]host[:port][/db][?prefix=NAME]");
        assertThat(Redaction.redactUrl("redis://x[:password@]host")).isEqualTo("redis://****@]host");
        assertThat(Redaction.redactUrl("postgresql://user[:password]x@host")).isEqualTo("postgresql://****@host");
    }

    @Test
    void backendOfReadsOnlyTheScheme() {
        assertThat(StorageUrl.backendOf("postgres://broken:port:x")).contains("postgres");
        assertThat(StorageUrl.backendOf("rediss:")).contains("redis");
        assertThat(StorageUrl.backendOf("mysql://h")).isEmpty();
        assertThat(StorageUrl.backendOf("/srv/x")).isEmpty();
    }

    @Test
    void appliesToAConfigurationOfTheSameBackendByMergingAndToAnotherByReplacing() {
        StorageConfig file = StorageConfig.forBackend("file").withBackendOption("max_file_size", 2048)
                .withBackendOption("base_dir", "/old");
        assertThat(StorageUrl.parse("file:///new").applyTo(file).backendConfig())
                .containsExactlyEntriesOf(keys("max_file_size", 2048, "base_dir", "/new"));
        StorageConfig memory = StorageUrl.parse("memory:").applyTo(file);
        assertThat(memory.backend()).isEqualTo("memory");
        assertThat(memory.backendConfig()).isEmpty();
        assertThat(StorageUrl.parse("memory:").toConfig()).isEqualTo(StorageConfig.forBackend("memory"));
    }
}
