package io.prodigy.storage.core.config;

import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.config.url.StorageUrl;
import java.nio.file.Path;

/**
 * Settings given explicitly (on the command line or in code). They have the highest precedence (spec 102): they win
 * over the environment, the config file and the defaults. Every component is optional ({@code null} = not given).
 *
 * @param backend    the backend name or provider class ({@code --backend}); wins over {@code PRODIGY_STORAGE_TYPE}
 * @param storageDir the file backend's base directory ({@code --storage-dir}); wins over every environment variable.
 *                   Only valid when the resolved backend is {@code file}
 * @param configFile the config file to read ({@code --config}) instead of {@code $PRODIGY_HOME/config.yml} or
 *                   {@code ~/.prodigy/config.yml}; may be a workflow YAML with a {@code storage:} block. It must exist
 * @param url        a storage URL that selects and configures the backend ({@code --storage-url}, see
 *                   {@link StorageUrl}); wins over {@code PRODIGY_STORAGE_URL} and {@code storage.url}. It may hold a
 *                   password: this record's {@code toString} masks it
 */
public record ConfigOverrides(String backend, Path storageDir, Path configFile, String url) {

    /** The option names used in {@link SettingSource#explicit} and in messages. */
    public static final String BACKEND_OPTION = "--backend";
    public static final String STORAGE_DIR_OPTION = "--storage-dir";
    public static final String CONFIG_OPTION = "--config";
    public static final String URL_OPTION = "--storage-url";

    /** Nothing given explicitly. */
    public static final ConfigOverrides NONE = new ConfigOverrides(null, null, null, null);

    public ConfigOverrides {
        if (backend != null && backend.isBlank()) {
            throw StorageConfigException.invalidValue("storage.backend", backend,
                    "a backend name such as file or memory (" + BACKEND_OPTION + " was given empty)");
        }
        if (url != null && url.isBlank()) {
            throw StorageConfigException.invalidValue(StorageUrl.KEY, url,
                    "a storage URL such as file:///srv/prodigy or memory: (" + URL_OPTION + " was given empty)");
        }
    }

    /** Without a storage URL. */
    public ConfigOverrides(String backend, Path storageDir, Path configFile) {
        this(backend, storageDir, configFile, null);
    }

    public static ConfigOverrides none() {
        return NONE;
    }

    public ConfigOverrides withBackend(String name) {
        return new ConfigOverrides(name, storageDir, configFile, url);
    }

    public ConfigOverrides withStorageDir(Path dir) {
        return new ConfigOverrides(backend, dir, configFile, url);
    }

    public ConfigOverrides withConfigFile(Path file) {
        return new ConfigOverrides(backend, storageDir, file, url);
    }

    public ConfigOverrides withUrl(String storageUrl) {
        return new ConfigOverrides(backend, storageDir, configFile, storageUrl);
    }

    /** The URL's credentials masked. */
    @Override
    public String toString() {
        return "ConfigOverrides[backend=" + backend + ", storageDir=" + storageDir + ", configFile=" + configFile
                + ", url=" + (url == null ? null : StorageUrl.redact(url)) + "]";
    }
}
