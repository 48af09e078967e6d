package io.prodigy.storage.cli;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.core.StorageFactory;
import io.prodigy.storage.core.config.ConfigLoader;
import io.prodigy.storage.core.config.LoadedConfig;
import io.prodigy.storage.core.config.SettingSource;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.file.FileConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Opens storage the way every Prodigy component does: storage-core's loader applies the precedence (flags over
 * environment over config file over defaults) and its factory resolves the provider and adds the configured layers.
 * The CLI adds nothing to the configuration rules; it only describes the result for {@code info}.
 */
final class FactoryStorageOpener implements StorageOpener {

    private static final String FILE = "file";
    /** The file written when a file store is created (docs/file-layout.md): its absence means "not created yet". */
    private static final String LAYOUT_MARKER = "layout.json";
    private static final String BASE_DIR_KEY = "storage.backend_config.base_dir";

    @Override
    public OpenedStorage open(Request request) {
        ConfigLoader loader = ConfigLoader.system().withEnvironment(request.env()).withWarnings(request.warnings());
        StorageFactory factory = StorageFactory.create().withConfigLoader(loader)
                .withContext(new StorageContext(request.clock(), request.projectDir()));
        LoadedConfig loaded;
        try {
            loaded = factory.loadConfig(request.overrides());
        } catch (InvalidInputException e) {
            // A missing --config file or bad YAML: the invocation must change, nothing was touched (exit 2).
            throw new UsageException(e.getMessage(), e);
        }
        StorageConfig config = loaded.config();
        if (request.refuseMissingStorageDir()) {
            refuseToCreate(loaded);
        }
        List<OpenedStorage.Setting> settings = loaded.settings().stream()
                .map(s -> new OpenedStorage.Setting(s.key(), s.value(), s.source().describe())).toList();
        boolean file = FILE.equalsIgnoreCase(config.backend().strip());
        Path baseDir = file ? FileConfig.bind(config.backendConfig()).baseDir() : null;
        if (!request.create() && file && !Files.exists(baseDir.resolve(LAYOUT_MARKER))) {
            return OpenedStorage.notCreated(FILE, location(FILE, loaded, baseDir), baseDir, loaded.configFile(),
                    settings, loaded.ignored());
        }
        UnifiedStorage storage = factory.open(loaded);
        if (!"file".equalsIgnoreCase(storage.backendType())) {
            baseDir = null;
        }
        return new OpenedStorage(storage, storage.backendType(), location(storage.backendType(), loaded, baseDir),
                baseDir, loaded.configFile(), settings, loaded.ignored(), storage::close);
    }

    /**
     * A command that only reads must not create a file store where {@code --storage-dir} (or a {@code file:} URL given
     * with {@code --storage-url}) points: a directory that does not exist there is almost always a typo, and creating
     * an empty store would hide it. (Without the flags the default location is used as before, so a first
     * {@code jobs list} on a new machine still answers "no jobs".)
     */
    private static void refuseToCreate(LoadedConfig loaded) {
        SettingSource source = loaded.sourceOf(BASE_DIR_KEY);
        if (source.kind() != SettingSource.Kind.EXPLICIT || !FILE.equalsIgnoreCase(loaded.config().backend())) {
            return;
        }
        Path base = FileConfig.bind(loaded.config().backendConfig()).baseDir();
        if (!Files.exists(base)) {
            throw new UsageException("No storage at '" + Redaction.redactUrl(base.toString()) + "': the directory"
                    + " given with " + source.detail() + " does not exist. This command only reads, so nothing was"
                    + " created. Check the path (a command that writes, such as 'events append', creates a new store"
                    + " there).");
        }
    }

    /** Where the data lives, in words: a directory, the storage URL or an endpoint, or the process's memory. */
    static String location(String backend, LoadedConfig loaded, Path baseDir) {
        if (baseDir != null) {
            return Redaction.redactUrl(baseDir.toString());
        }
        Map<String, Object> bc = loaded.config().backendConfig();
        if ("memory".equalsIgnoreCase(backend)) {
            Object path = bc.get("persistence_path");
            return Boolean.TRUE.equals(bc.get("persist_to_disk")) && path != null
                    ? "process memory, snapshot at " + path : "process memory (lost when the command exits)";
        }
        if (loaded.url() != null) {
            return loaded.url().redacted();
        }
        for (String key : List.of("url", "endpoint", "uri", "host", "bucket")) {
            Object v = bc.get(key);
            if (v != null) {
                return Redaction.redactUrl(String.valueOf(v));
            }
        }
        return backend + " backend";
    }
}
