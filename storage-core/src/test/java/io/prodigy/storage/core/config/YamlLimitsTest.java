package io.prodigy.storage.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.config.StorageConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: a config file cannot make loading cost seconds and hundreds of megabytes. The file size, the number of
 * aliases and the nesting depth are limited, and each limit is reported as a configuration error naming it.
 */
class YamlLimitsTest {

    @TempDir
    Path tmp;

    @Test
    void anOversizedConfigFileIsRefusedBeforeItIsRead() throws IOException {
        Path file = tmp.resolve("config.yml");
        Files.writeString(file, "storage:\n  backend: file\n# " + "x".repeat((int) YamlStorageBlock.MAX_FILE_BYTES)
                + "\n");
        assertThatThrownBy(() -> YamlStorageBlock.read(file)).isInstanceOf(StorageConfigException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("more than the 1048576 bytes");
    }

    @Test
    void anAliasBombCannotMultiplyTheDocument() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 9; i++) {
            char prev = (char) ('a' + i - 1);
            char cur = (char) ('a' + i);
            yaml.append(cur).append(": &").append(cur).append(" [*").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append("]\n");
        }
        yaml.append("storage:\n  backend: file\n  x: *j\n");
        // Aliases are not expanded (Jackson reads '*j' as the text 'j'), so ten levels of five cost nothing.
        assertThat(YamlStorageBlock.parse(yaml.toString(), "YAML text")).containsEntry("x", "j");
    }

    @Test
    void yamlTextOverTheCodePointLimitIsRefused() {
        String yaml = "storage:\n  backend: file\n  big: " + "x".repeat(YamlStorageBlock.MAX_CODE_POINTS) + "\n";
        assertThatThrownBy(() -> YamlStorageBlock.parse(yaml, "YAML text"))
                .isInstanceOf(StorageConfigException.class).hasMessageStartingWith("Invalid YAML in YAML text")
                .hasMessageContaining("code points");
    }

    @Test
    void deepNestingIsRefused() {
        String yaml = "storage:\n  x: " + "[".repeat(200) + "]".repeat(200) + "\n";
        assertThatThrownBy(() -> YamlStorageBlock.parse(yaml, "YAML text"))
                .isInstanceOf(StorageConfigException.class).hasMessageStartingWith("Invalid YAML in YAML text")
                .hasMessageContaining("depth");
    }

    @Test
    void anOrdinaryNestedFileStillLoads() {
        assertThat(YamlStorageBlock.parse("storage:\n  backend: file\n  backend_config:\n    retention:\n"
                + "      max_age: 30d\n", "YAML text")).containsEntry("backend", "file");
    }
}
