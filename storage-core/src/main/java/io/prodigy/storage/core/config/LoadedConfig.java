package io.prodigy.storage.core.config;

import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.config.url.StorageUrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A configuration together with where each of its settings came from.
 *
 * @param config     the bound, validated configuration
 * @param sources    the source of every setting, by dotted key path ({@code storage.backend},
 *                   {@code storage.backend_config.base_dir}, {@code storage.retry_policy.max_retries}, …), in the
 *                   order of the configuration's keys
 * @param configFile the config file that was read, or {@code null} if none was
 * @param ignored    settings that were read but left out, each with why (for example the config file's
 *                   {@code backend_config} when another source chose a different backend); {@code info} shows them
 * @param url        the storage URL that selected the backend and set some of its {@code backend_config} keys, or
 *                   {@code null} if none was used; its source is {@code sources().get("storage.url")}
 */
public record LoadedConfig(StorageConfig config, Map<String, SettingSource> sources, Path configFile,
        List<String> ignored, StorageUrl url) {

    /** One setting for display: its key path, its value with secrets masked, and its source. */
    public record Setting(String key, String value, SettingSource source) {}

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        sources = sources == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
    }

    /** A configuration without a storage URL. */
    public LoadedConfig(StorageConfig config, Map<String, SettingSource> sources, Path configFile,
            List<String> ignored) {
        this(config, sources, configFile, ignored, null);
    }

    /** A configuration without a storage URL of which nothing was ignored. */
    public LoadedConfig(StorageConfig config, Map<String, SettingSource> sources, Path configFile) {
        this(config, sources, configFile, List.of());
    }


    /** The source of {@code keyPath}; {@link SettingSource#DEFAULT} for keys nobody set. */
    public SettingSource sourceOf(String keyPath) {
        return sources.getOrDefault(keyPath, SettingSource.DEFAULT);
    }

    public Optional<Path> configFilePath() {
        return Optional.ofNullable(configFile);
    }

    /**
     * Every setting with its display value (secrets masked, URL credentials removed) and source, in key order: what
     * the CLI's {@code info} command prints. The storage URL, if one was used, comes first.
     */
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>();
        if (url != null) {
            out.add(new Setting(StorageUrl.KEY, url.redacted(), sourceOf(StorageUrl.KEY)));
        }
        leaves(config).forEach((key, value) -> out.add(new Setting(key, ConfigKeys.display(key, value), sourceOf(key))));
        return out;
    }

    /**
     * The same error, with where the offending setting was given appended (for example
     * {@code Source: environment variable PRODIGY_STORAGE_TYPE.}), so the user knows what to fix. Errors about
     * defaults or unknown sources come back unchanged.
     */
    public StorageConfigException attributed(StorageConfigException error) {
        return ConfigErrors.attribute(error, sources);
    }

    /**
     * The whole configuration on one line with secrets masked and URL credentials removed, also inside lists (for
     * logs).
     */
    public String redacted() {
        return ConfigKeys.display(ConfigKeys.ROOT, ConfigBinder.toMap(config));
    }

    /** The configuration's leaves by key path under {@code storage}. */
    static Map<String, Object> leaves(StorageConfig config) {
        return ConfigKeys.leaves(ConfigKeys.ROOT, ConfigBinder.toMap(config));
    }

    @Override
    public String toString() {
        // Sources hold only variable names, options and paths; the config is shown redacted.
        return "LoadedConfig[config=" + redacted() + (url == null ? "" : ", url=" + url) + ", config_file=" + (configFile == null ? "none" : configFile)
                + ", sources=" + sources + ", ignored=" + ignored + "]";
    }
}
