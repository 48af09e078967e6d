package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.StorageConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input fails at load with an exact message naming the key path, the value, and the source. */
class BadConfigTest {

    @TempDir
    Path dir;
    private Loaders loaders;
    private Path file;
    private String source;

    @BeforeEach
    void setUp() {
        loaders = new Loaders(dir.resolve("home"));
        file = dir.resolve("config.yml");
        source = " Source: config file '" + file + "'.";
    }

    private AbstractThrowableAssert<?, ? extends Throwable> loading(String yaml) {
        Loaders.write(file, yaml);
        return assertThatThrownBy(() -> loaders.plain().load(ConfigOverrides.NONE.withConfigFile(file)));
    }

    private static String keyPath(Throwable e) {
        return ((StorageConfigException) e).keyPath();
    }

    @Test
    void unknownKeyWithDidYouMean() {
        loading("storage:\n  timout: 30s\n")
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Unknown key 'storage.timout'. Did you mean 'timeout'? Valid keys here: backend,"
                        + " backend_config, cache_config, connection_pool_size, enable_cache, enable_locking,"
                        + " retry_policy, timeout." + source)
                .extracting(BadConfigTest::keyPath).isEqualTo("storage.timout");
    }

    @Test
    void unknownNestedKeyWithDidYouMean() {
        loading("storage:\n  retry_policy:\n    max_retry: 3\n")
                .hasMessage("Unknown key 'storage.retry_policy.max_retry'. Did you mean 'max_retries'? Valid keys"
                        + " here: backoff_multiplier, initial_delay, jitter, max_delay, max_retries." + source);
    }

    @Test
    void unknownKeyFarFromAnyHasNoSuggestion() {
        loading("storage:\n  cache_config:\n    flavour: lru\n")
                .hasMessage("Unknown key 'storage.cache_config.flavour'. Valid keys here: cache_type, max_entries,"
                        + " ttl." + source);
    }

    @Test
    void wrongTypes() {
        loading("storage:\n  connection_pool_size: ten\n")
                .hasMessage("Invalid value 'ten' for storage.connection_pool_size: expected a whole number." + source);
        loading("storage:\n  enable_cache: maybe\n")
                .hasMessage("Invalid value 'maybe' for storage.enable_cache: expected true or false." + source);
        loading("storage:\n  retry_policy:\n    backoff_multiplier: double\n")
                .hasMessage("Invalid value 'double' for storage.retry_policy.backoff_multiplier: expected a number."
                        + source);
        loading("storage:\n  retry_policy: 3\n")
                .hasMessage("Invalid value 3 for storage.retry_policy: expected a mapping of keys to values." + source);
    }

    @Test
    void outOfRange() {
        loading("storage:\n  retry_policy:\n    max_retries: 101\n")
                .hasMessage("Invalid value 101 for storage.retry_policy.max_retries: expected a whole number from 0"
                        + " to 100." + source)
                .extracting(BadConfigTest::keyPath).isEqualTo("storage.retry_policy.max_retries");
        loading("storage:\n  connection_pool_size: 0\n")
                .hasMessage("Invalid value 0 for storage.connection_pool_size: expected a whole number from 1 to"
                        + " 1000." + source);
        loading("storage:\n  cache_config:\n    max_entries: 0\n")
                .hasMessage("Invalid value 0 for storage.cache_config.max_entries: expected a whole number from 1 to"
                        + " 10000000." + source);
        loading("storage:\n  retry_policy:\n    backoff_multiplier: 0.5\n")
                .hasMessage("Invalid value 0.5 for storage.retry_policy.backoff_multiplier: expected a number from"
                        + " 1.0 to 100.0." + source);
        loading("storage:\n  retry_policy:\n    initial_delay: 1m\n    max_delay: 30s\n")
                .hasMessage("Invalid value '30s' for storage.retry_policy.max_delay: expected a duration at least"
                        + " initial_delay (1m)." + source);
    }

    @Test
    void badDurations() {
        loading("storage:\n  timeout: soon\n")
                .hasMessage("Invalid value 'soon' for storage.timeout: expected a duration such as 500ms, 30s, 1m, 1h"
                        + " or 1m 30s." + source);
        loading("storage:\n  timeout: 30\n")
                .hasMessage("Invalid value 30 for storage.timeout: expected a duration such as 500ms, 30s, 1m, 1h or"
                        + " 1m 30s." + source);
        // storage-api words this "a positive a duration such as ..." today; assert around the doubled article.
        loading("storage:\n  cache_config:\n    ttl: 0s\n")
                .hasMessageStartingWith("Invalid value '0s' for storage.cache_config.ttl: expected a positive ")
                .hasMessageEndingWith("duration such as 500ms, 30s, 1m, 1h or 1m 30s." + source);
        loading("storage:\n  retry_policy:\n    initial_delay: 1.5s\n")
                .hasMessage("Invalid value '1.5s' for storage.retry_policy.initial_delay: expected a duration such as"
                        + " 500ms, 30s, 1m, 1h or 1m 30s." + source);
    }

    @Test
    void unknownCacheType() {
        loading("storage:\n  cache_config:\n    cache_type: redis\n")
                .hasMessage("Invalid value 'redis' for storage.cache_config.cache_type: expected one of: memory."
                        + source)
                .extracting(BadConfigTest::keyPath).isEqualTo("storage.cache_config.cache_type");
    }

    @Test
    void malformedYamlNamesTheFileAndLine() {
        loading("storage:\n  backend: file\n  timeout: 30s: 1m\n")
                .isExactlyInstanceOf(StorageConfigException.class)
                .hasMessage("Invalid YAML in config file '" + file + "' at line 3, column 15: mapping values are not"
                        + " allowed here. Fix the syntax there and try again.");
        loading("storage:\n  backend: [file\n")
                .isExactlyInstanceOf(StorageConfigException.class)
                .hasMessage("Invalid YAML in config file '" + file + "' at line 3, column 1: expected ',' or ']', but"
                        + " got <stream end> (while parsing a flow sequence started at line 2, column 12). Fix the"
                        + " syntax there and try again.");
    }

    @Test
    void aKeyWrittenTwiceIsRejected() {
        loading("storage:\n  backend: file\n  backend: memory\n")
                .isExactlyInstanceOf(StorageConfigException.class)
                .hasMessage("Invalid YAML in config file '" + file + "' at line 3, column 10: the key 'backend' appears"
                        + " twice in the same mapping. Fix the syntax there and try again.");
    }

    @Test
    void aStorageBlockThatIsNotAMapping() {
        loading("storage: file\n")
                .isInstanceOf(StorageConfigException.class)
                .hasMessage("Invalid value 'file' for storage: expected a mapping of keys to values.");
        loading("storage:\n  - backend: file\n")
                .hasMessage("Invalid value 'a list' for storage: expected a mapping of keys to values.");
    }

    @Test
    void aDocumentThatIsASingleValue() {
        loading("just some text\n")
                .isExactlyInstanceOf(StorageConfigException.class)
                .hasMessage("The config file '" + file + "' is not a YAML mapping (it holds the single value 'just"
                        + " some text'). Put the settings under a top-level 'storage:' key.");
    }

    @Test
    void yamlTextErrorsSayYamlText() {
        assertThatThrownBy(() -> loaders.plain().fromYaml("storage:\n  timeout: [\n"))
                .hasMessageStartingWith("Invalid YAML in YAML text at line ");
        assertThatThrownBy(() -> loaders.plain().fromYaml("storage:\n  timeout: 5\n"))
                .hasMessage("Invalid value 5 for storage.timeout: expected a duration such as 500ms, 30s, 1m, 1h or"
                        + " 1m 30s. Source: YAML text.");
    }

    @Test
    void badValuesFromTheEnvironmentNameTheVariable() {
        Loaders.write(file, "storage:\n  backend_config: 12\n");
        assertThatThrownBy(() -> loaders.with(Map.of("PRODIGY_STORAGE_BASE_PATH", "/b"))
                .load(ConfigOverrides.NONE.withConfigFile(file)))
                .hasMessage("Invalid value 12 for storage.backend_config: expected a mapping of keys to values."
                        + source);
    }

    @Test
    void nothingIsLoadedFromAFileWithAnError() {
        Loaders.write(dir.resolve("home/.prodigy/config.yml"), "storage:\n  enable_locking: nope\n");
        assertThatThrownBy(() -> loaders.plain().load())
                .isInstanceOf(StorageConfigException.class)
                .hasMessageEndingWith(" Source: config file '" + dir.resolve("home/.prodigy/config.yml") + "'.");
        assertThat(loaders.warnings).isEmpty();
    }
}
