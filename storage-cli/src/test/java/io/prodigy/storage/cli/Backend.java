package io.prodigy.storage.cli;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.StorageFactory;
import io.prodigy.storage.core.config.ConfigLoader;
import io.prodigy.storage.core.config.ConfigOverrides;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The backends the in-process command tests run on. The file backend goes through the real opener (configuration
 * from the injected environment: {@code PRODIGY_HOME} points at a temporary directory), and every command opens and
 * closes its own store, as separate processes would. The memory backend lives only as long as its store object, so
 * its commands share one opened store.
 */
public enum Backend {
    FILE {
        @Override
        public Fixture open(Path dir) {
            Map<String, String> env = Map.of("PRODIGY_HOME", dir.resolve("prodigy-home").toString());
            return new Fixture(env, StorageOpener.factory(), null) {
                @Override
                public <T> T fromStorage(Function<UnifiedStorage, T> read) {
                    try (UnifiedStorage s = StorageFactory.create()
                            .withConfigLoader(ConfigLoader.system().withEnvironment(env())).load(ConfigOverrides.NONE)) {
                        return read.apply(s);
                    }
                }
            };
        }
    },
    MEMORY {
        @Override
        public Fixture open(Path dir) {
            UnifiedStorage shared = StorageFactory.create().open(StorageConfig.forBackend("memory"));
            StorageOpener opener = request -> new OpenedStorage(shared, "memory", "process memory", null, null,
                    List.of(new OpenedStorage.Setting("storage.backend", "memory", "explicit (test)")), () -> { });
            return new Fixture(Map.of("PRODIGY_HOME", dir.resolve("prodigy-home").toString()), opener, shared) {
                @Override
                public <T> T fromStorage(Function<UnifiedStorage, T> read) {
                    return read.apply(shared);
                }
            };
        }
    };

    /** Opens the backend with its data under {@code dir}. */
    public abstract Fixture open(Path dir);

    /** A backend ready for commands, and direct access to its store for seeding and checking. */
    public abstract static class Fixture implements AutoCloseable {
        private final Map<String, String> env;
        private final StorageOpener opener;
        private final UnifiedStorage shared;

        Fixture(Map<String, String> env, StorageOpener opener, UnifiedStorage shared) {
            this.env = env;
            this.opener = opener;
            this.shared = shared;
        }

        public Map<String, String> env() {
            return env;
        }

        public StorageOpener opener() {
            return opener;
        }

        /** Runs {@code read} against the store (opened for the call on the file backend). */
        public abstract <T> T fromStorage(Function<UnifiedStorage, T> read);

        public void withStorage(Consumer<UnifiedStorage> write) {
            fromStorage(s -> {
                write.accept(s);
                return null;
            });
        }

        /** Commands run in {@code workingDir} with this backend. */
        public TestCli cli(Path workingDir) {
            return new TestCli(env, workingDir, opener);
        }

        @Override
        public void close() {
            if (shared != null) {
                shared.close();
            }
        }
    }
}
