package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code info} as a child process: configuration sources as the real environment gives them. */
class InfoIT {

    @TempDir
    Path tmp;

    @Test
    void infoReportsLocationAndTheSourceOfEachSetting() throws Exception {
        Path home = tmp.resolve("home");
        Path base = tmp.resolve("base");
        Map<String, String> env = Map.of("PRODIGY_HOME", home.toString(), "PRODIGY_STORAGE_BASE_PATH",
                base.toString(), "PRODIGY_STORAGE_TYPE", "file");
        CliResult before = JarProcess.run(tmp, env, null, "--json", "info");
        assertThat(before.exitCode()).as(before.toString()).isZero();
        assertThat(before.json().get("created").asBoolean()).as("info creates nothing").isFalse();
        assertThat(base).doesNotExist();
        assertThat(JarProcess.run(tmp, env, null, "sessions", "list").exitCode()).isZero(); // creates the store

        CliResult r = JarProcess.run(tmp, env, null, "--json", "info");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode info = r.json();
        assertThat(info.get("backend").asText()).isEqualTo("file");
        assertThat(info.get("location").asText()).isEqualTo(base.toString());
        assertThat(info.get("layout_version").asInt()).isEqualTo(1);
        assertThat(source(info, "storage.backend")).isEqualTo("environment variable PRODIGY_STORAGE_TYPE");
        assertThat(source(info, "storage.backend_config.base_dir"))
                .isEqualTo("environment variable PRODIGY_STORAGE_BASE_PATH");
        assertThat(source(info, "storage.timeout")).isEqualTo("default");

        CliResult text = JarProcess.run(tmp, env, null, "--storage-dir", tmp.resolve("flag").toString(), "info");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("Backend       file", "Location      " + tmp.resolve("flag")
                + " (not created yet", "explicit --storage-dir");
        assertThat(text.err()).isEmpty();

        CliResult unknown = JarProcess.run(tmp, env, null, "--backend", "nosuch", "info");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: Unknown storage backend 'nosuch' in storage.backend.");
        assertThat(unknown.err().lines().count()).isLessThanOrEqualTo(2);
    }

    private static String source(JsonNode info, String key) {
        return StreamSupport.stream(info.get("settings").spliterator(), false)
                .filter(s -> s.get("key").asText().equals(key)).findFirst().orElseThrow().get("source").asText();
    }
}
