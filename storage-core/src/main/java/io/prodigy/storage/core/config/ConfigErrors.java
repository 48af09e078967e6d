package io.prodigy.storage.core.config;

import io.prodigy.storage.config.StorageConfigException;
import java.util.Map;

/** Adds the source of a bad setting to a configuration error: the key path says what, the source says where. */
final class ConfigErrors {

    private ConfigErrors() {}

    static StorageConfigException attribute(StorageConfigException error, Map<String, SettingSource> sources) {
        SettingSource source = sourceOf(error.keyPath(), sources);
        if (source == null || source.kind() == SettingSource.Kind.DEFAULT) {
            return error;
        }
        StorageConfigException attributed = StorageConfigException.of(error.keyPath(),
                error.getMessage() + " Source: " + source.describe() + ".");
        attributed.initCause(error);
        return attributed;
    }

    /**
     * The source of the key itself or, for an error about a whole block (a map given where a scalar belongs, or the
     * reverse), of the first key inside it.
     */
    private static SettingSource sourceOf(String keyPath, Map<String, SettingSource> sources) {
        SettingSource exact = sources.get(keyPath);
        if (exact != null) {
            return exact;
        }
        String inside = keyPath + ".";
        return sources.entrySet().stream()
                .filter(e -> e.getKey().startsWith(inside))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }
}
