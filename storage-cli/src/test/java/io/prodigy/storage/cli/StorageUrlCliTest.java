package io.prodigy.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.core.ProviderRegistry;
import io.prodigy.storage.core.config.ConfigLoader;
import io.prodigy.storage.core.config.LoadedConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --storage-url} and {@code PRODIGY_STORAGE_URL} end to end through the real factory, with a private HOME. */
class StorageUrlCliTest {

    private static final String PASSWORD = "Hunter2";

    @TempDir
    Path tmp;
    private Path home;

    @BeforeEach
    void privateHome() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
    }

    private TestCli cli(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("HOME", home.toString());
        return new TestCli(env, tmp, StorageOpener.factory());
    }

    private TestCli cli() {
        return cli(Map.of());
    }

    private static JsonNode setting(JsonNode info, String key) {
        return StreamSupport.stream(info.get("settings").spliterator(), false)
                .filter(s -> s.get("key").asText().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no setting " + key + " in " + info));
    }

    @Test
    void infoWithAMemoryUrl() {
        CliResult r = cli().run("info", "--storage-url", "memory:");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Backend       memory", "storage.url", "memory:", "explicit --storage-url");

        CliResult json = cli().run("--json", "--storage-url", "memory:", "info");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.json().get("backend").asText()).isEqualTo("memory");
        assertThat(setting(json.json(), "storage.url").get("value").asText()).isEqualTo("memory:");
        assertThat(setting(json.json(), "storage.backend").get("source").asText())
                .isEqualTo("explicit --storage-url");
        assertThat(home.resolve(".prodigy")).as("the file backend's default home is not touched").doesNotExist();
    }

    @Test
    void infoWithAFileUrlBeforeAndAfterTheStoreExists() {
        Path base = tmp.resolve("by url");
        String url = base.toUri().toString();
        assertThat(url).startsWith("file:///").contains("by%20url");

        CliResult before = cli().run("--json", "--storage-url", url, "info");
        assertThat(before.exitCode()).as(before.toString()).isZero();
        assertThat(before.json().get("created").asBoolean()).isFalse();
        assertThat(before.json().get("location").asText()).isEqualTo(base.toString());
        assertThat(setting(before.json(), "storage.backend_config.base_dir").get("source").asText())
                .isEqualTo("explicit --storage-url");
        assertThat(base).as("info creates nothing").doesNotExist();

        CliResult append = cli().withStdin("{\"event_type\":\"agent_started\"}\n")
                .run("--storage-url", url, "--repo", "proj", "events", "append", "--job", "j1");
        assertThat(append.exitCode()).as(append.toString()).isZero();

        CliResult after = cli().run("--json", "info", "--storage-url", url);
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.json().get("created").asBoolean()).isTrue();
        assertThat(after.json().get("counts").get("events").asLong()).isEqualTo(1);
        assertThat(setting(after.json(), "storage.url").get("value").asText()).isEqualTo(url);

        CliResult text = cli().run("info", "--storage-url", url);
        assertThat(text.out()).contains("Backend       file", "Location      " + base, "storage.url");
    }

    @Test
    void theEnvironmentUrlIsUsedAndTheFlagWinsOverIt() {
        Path fromEnv = tmp.resolve("from-env");
        TestCli cli = cli(Map.of("PRODIGY_STORAGE_URL", fromEnv.toUri().toString()));
        CliResult env = cli.run("--json", "info");
        assertThat(env.exitCode()).as(env.toString()).isZero();
        assertThat(env.json().get("location").asText()).isEqualTo(fromEnv.toString());
        assertThat(setting(env.json(), "storage.url").get("source").asText())
                .isEqualTo("environment variable PRODIGY_STORAGE_URL");

        CliResult flag = cli.run("--json", "--storage-url", "memory:", "info");
        assertThat(flag.json().get("backend").asText()).isEqualTo("memory");
    }

    @Test
    void aBackendNotInThisBuildIsAUsageErrorThatShowsNoPassword() {
        // The default build has no postgres or redis provider; a -Pdistributed build has both, and then the same URL
        // reaches for a host that does not exist. Either way the password shows nowhere.
        boolean distributed = ProviderRegistry.discover().find("postgres").isPresent();
        CliResult r = cli(Map.of("PRODIGY_STORAGE_URL", "postgresql://app:" + PASSWORD + "@db.invalid:5432/prodigy"))
                .run("info");
        if (distributed) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).contains("Cannot reach PostgreSQL");
        } else {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).startsWith("error: Unknown storage backend 'postgres' in storage.backend.")
                    .contains("Built without -Pdistributed?", "Source: environment variable PRODIGY_STORAGE_URL.");
        }
        assertThat(r.out() + r.err()).doesNotContain(PASSWORD);

        CliResult json = cli().run("--json", "--storage-url", "redis://:" + PASSWORD + "@cache.invalid/1", "health");
        if (distributed) {
            assertThat(json.exitCode()).as(json.toString()).isNotZero();
        } else {
            assertThat(json.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(json.json().get("error").get("message").asText()).contains("Built without -Pdistributed?");
        }
        assertThat(json.out() + json.err()).doesNotContain(PASSWORD);
    }

    @Test
    void aMalformedUrlIsAUsageErrorNamingTheFlag() {
        CliResult r = cli().run("--storage-url", "file:relative/dir", "info");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("error: Invalid storage URL 'file:relative/dir' in storage.url: the path is"
                + " relative").contains("Expected file:///absolute/path.", "Source: explicit --storage-url.");

        CliResult port = cli().run("--storage-url", "postgresql://app:" + PASSWORD + "@db:99999/x", "jobs", "list");
        assertThat(port.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(port.err()).contains("'postgresql://****@db:99999/x'", "the port is not a whole number");
        assertThat(port.out() + port.err()).doesNotContain(PASSWORD);
    }

    @Test
    void aUrlAndAFlagThatDisagreeAreAUsageErrorNamingBoth() {
        CliResult r = cli().run("--storage-url", "memory:", "--backend", "file", "info");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Conflicting settings for storage.backend: the storage URL 'memory:' (explicit"
                + " --storage-url) sets 'memory', but explicit --backend sets 'file'.");

        Path a = tmp.resolve("a");
        CliResult dirs = cli().run("--storage-url", a.toUri().toString(), "--storage-dir", tmp.resolve("b").toString(),
                "info");
        assertThat(dirs.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(dirs.err()).contains("explicit --storage-dir sets '" + tmp.resolve("b") + "'");
        assertThat(cli().run("--storage-url", a.toUri().toString(), "--storage-dir", a.toString(), "info").exitCode())
                .isZero();
    }

    @Test
    void aReadOnlyCommandDoesNotCreateTheStoreAFileUrlNames() {
        Path missing = tmp.resolve("typo");
        CliResult r = cli().run("--storage-url", missing.toUri().toString(), "jobs", "list");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("No storage at '" + missing + "': the directory given with --storage-url does"
                + " not exist.");
        assertThat(missing).doesNotExist();
    }

    @Test
    void theLocationOfANetworkBackendIsItsUrlWithoutThePassword() {
        LoadedConfig loaded = ConfigLoader.system().withEnvironment(Map.of("HOME", home.toString()))
                .fromUrl("postgresql://app:" + PASSWORD + "@db/prodigy?schema=t1", "--storage-url");
        assertThat(FactoryStorageOpener.location("postgres", loaded, null))
                .isEqualTo("postgresql://****@db/prodigy?schema=t1");
    }

    @Test
    void demoSuggestsCommandsWithTheSameUrl() {
        Path base = tmp.resolve("demo-store");
        String url = base.toUri().toString();
        CliResult r = cli().run("--storage-url", url, "demo", "--jobs", "1", "--items", "4", "--no-crash", "--seed",
                "1");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("prodigy-storage --storage-url '" + url + "' jobs list");
        assertThat(base.resolve("layout.json")).exists();
    }

    @Test
    void helpListsTheFlag() {
        CliResult r = cli().run("info", "--help");
        assertThat(r.out()).contains("--storage-url=URL", "postgresql://user[:password]@host[:port]/database");
    }
}
