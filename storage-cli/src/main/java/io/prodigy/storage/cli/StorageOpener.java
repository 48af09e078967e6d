package io.prodigy.storage.cli;

import io.prodigy.storage.core.config.ConfigOverrides;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Opens the storage a command works on. The real one goes through storage-core's factory (configuration precedence,
 * provider discovery, cross-cutting layers); tests may hand out one shared storage instead.
 */
@FunctionalInterface
public interface StorageOpener {

    /**
     * What the command line asks for.
     *
     * @param overrides  {@code --backend}, {@code --storage-dir}, {@code --config}
     * @param env        environment variables
     * @param projectDir the project (the working directory's repository root) whose legacy {@code .prodigy/} the
     *                   open migrates, or {@code null} to migrate nothing
     * @param clock      the storage's clock
     * @param warnings   where configuration warnings go (deprecated variables and the like)
     * @param create     whether a store that does not exist yet may be created; {@code false} (for {@code info})
     *                   returns {@link OpenedStorage#notCreated} instead of creating it
     * @param refuseMissingStorageDir for commands that only read: a {@code --storage-dir} that does not exist is a
     *                   usage error, nothing is created (a read creates nothing)
     */
    record Request(ConfigOverrides overrides, Map<String, String> env, Path projectDir, Clock clock,
            Consumer<String> warnings, boolean create, boolean refuseMissingStorageDir) {

        public Request(ConfigOverrides overrides, Map<String, String> env, Path projectDir, Clock clock,
                Consumer<String> warnings, boolean create) {
            this(overrides, env, projectDir, clock, warnings, create, false);
        }

        /** A request that may create the store. */
        public Request(ConfigOverrides overrides, Map<String, String> env, Path projectDir, Clock clock,
                Consumer<String> warnings) {
            this(overrides, env, projectDir, clock, warnings, true);
        }
    }

    OpenedStorage open(Request request);

    /** Opens through {@code io.prodigy.storage.core.StorageFactory}. */
    static StorageOpener factory() {
        return new FactoryStorageOpener();
    }
}
