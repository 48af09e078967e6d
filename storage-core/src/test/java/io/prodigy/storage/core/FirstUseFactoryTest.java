package io.prodigy.storage.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.config.ConfigLoader;
import io.prodigy.storage.core.config.ConfigOverrides;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.RepositoryNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: the factory's defaults and errors as a new user meets them. */
class FirstUseFactoryTest {

    @TempDir
    Path tmp;

    @Test
    void theDefaultContextTakesTheWorkingDirectorysRepositoryRootAsTheProject() {
        StorageContext context = StorageFactory.create().context();

        assertThat(context.projectDirectory()).as("so that load() migrates a legacy .prodigy/ on first use")
                .isEqualTo(RepositoryNames.projectRoot(Path.of("")));
        assertThat(StorageContext.withoutProject().projectDirectory()).isNull();
    }

    @Test
    void projectRootWalksUpToGitAndResolvesSymlinks() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("my-repo"));
        Files.createDirectories(repo.resolve(".git"));
        Path sub = Files.createDirectories(repo.resolve("src/main"));
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-sub"), sub);
        Path worktree = Files.createDirectories(tmp.resolve("wt"));
        Files.writeString(worktree.resolve(".git"), "gitdir: elsewhere\n");
        Path plain = Files.createDirectories(tmp.resolve("plain/dir"));

        assertThat(RepositoryNames.projectRoot(sub)).isEqualTo(repo.toRealPath());
        assertThat(RepositoryNames.fromWorkingDirectory(sub)).isEqualTo("my-repo");
        assertThat(RepositoryNames.fromWorkingDirectory(link)).isEqualTo("my-repo");
        assertThat(RepositoryNames.fromWorkingDirectory(worktree)).as(".git may be a file").isEqualTo("wt");
        assertThat(RepositoryNames.projectRoot(plain)).isEqualTo(plain.toRealPath());
    }

    @Test
    void anUnknownBackendIsReportedFirstEvenWithAStorageDirectory() {
        Path home = tmp.resolve("home");
        ConfigLoader loader = ConfigLoader.system().withEnvironment(Map.of("HOME", home.toString()))
                .withWarnings(w -> { });
        Path config = tmp.resolve("config.yml");
        writeQuietly(config, "storage:\n  backend: nosuch\n");
        StorageFactory factory = StorageFactory.create().withConfigLoader(loader);

        assertThatThrownBy(() -> factory.load(ConfigOverrides.NONE.withConfigFile(config).withStorageDir(tmp)))
                .isInstanceOf(StorageConfigException.class)
                .hasMessageStartingWith("Unknown storage backend 'nosuch'")
                .hasMessageContaining("Available providers:").hasMessageContaining("file")
                .satisfies(e -> assertThat(Arrays.stream(e.getSuppressed()).map(Throwable::getMessage))
                        .anyMatch(m -> m.contains("--storage-dir")));
    }

    private static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anExceptionThrownOnThePoolThreadCarriesTheCallersFrames() {
        try (io.prodigy.storage.core.layer.timeout.ExecutorTimeLimiter limiter =
                new io.prodigy.storage.core.layer.timeout.ExecutorTimeLimiter("memory", 2)) {
            NotFoundException error = new NotFoundException("session", "s-1");

            assertThatThrownBy(() -> callFromHere(limiter, error)).isSameAs(error)
                    .satisfies(e -> assertThat(e.getSuppressed()).anySatisfy(s -> {
                        assertThat(s.getMessage()).contains("called from thread '" + Thread.currentThread().getName());
                        assertThat(s.getStackTrace()).anyMatch(f -> f.getMethodName().equals("callFromHere"));
                    }));
        }
    }

    private static void callFromHere(io.prodigy.storage.core.layer.timeout.ExecutorTimeLimiter limiter,
            NotFoundException error) throws Exception {
        limiter.call(() -> {
            throw error;
        }, java.time.Duration.ofSeconds(30));
    }
}
