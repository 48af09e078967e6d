package io.prodigy.storage.core.config;

import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.config.url.StorageUrl;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The storage URL among the other settings. A URL is one setting with the precedence of its source
 * ({@code --storage-url} over {@code PRODIGY_STORAGE_URL} over the config file's {@code storage.url}); what it selects
 * and sets ({@code storage.backend} and some {@code backend_config} keys) competes with the other sources at that
 * level:
 * <ul>
 *   <li>a key from a higher-precedence source wins (a higher source choosing another backend leaves the URL out,
 *       listed as ignored);</li>
 *   <li>a key from the same source level that disagrees with the URL is an error naming both sources: two settings
 *       given side by side that contradict each other are a mistake, not a precedence question;</li>
 *   <li>a key from a lower level is overridden; keys the URL does not set are merged.</li>
 * </ul>
 * {@code PRODIGY_HOME} is the one exception: it locates {@code config.yml} and is often set for other reasons, so as a
 * storage directory it yields to a URL set beside it.
 */
final class UrlSettings {

    static final String URL_KEY_IN_BLOCK = "url";

    /** The URL in effect, parsed, and where it was set. */
    record Chosen(StorageUrl url, SettingSource source) {
        String backend() {
            return url.backend();
        }

        int rank() {
            return UrlSettings.rank(source);
        }
    }

    /** One value of another setting and where it was set. */
    record Given(Object value, SettingSource source) {}

    private UrlSettings() {}

    /**
     * The highest-precedence URL ({@code --storage-url}, else {@code PRODIGY_STORAGE_URL}, else the file's
     * {@code storage.url}), parsed; {@code null} if none is set. Records its source in {@code given}.
     *
     * @param env {@code null} when the environment is not a source
     * @throws StorageConfigException for a malformed URL, naming where it was set
     */
    static Chosen choose(Map<String, Object> fileBlock, SettingSource fileSource, EnvironmentSettings env,
            ConfigOverrides overrides, Map<String, SettingSource> given) {
        String text;
        SettingSource source;
        if (overrides.url() != null) {
            text = overrides.url();
            source = SettingSource.explicit(ConfigOverrides.URL_OPTION);
        } else if (env != null && env.url().isPresent()) {
            text = env.url().get().value();
            source = env.url().get().source();
        } else if (fileBlock.get(URL_KEY_IN_BLOCK) != null) {
            if (!(fileBlock.get(URL_KEY_IN_BLOCK) instanceof String s)) {
                throw ConfigErrors.attribute(StorageConfigException.of(StorageUrl.KEY, "Invalid value for {key}:"
                        + " expected a storage URL as text, such as file:///srv/prodigy or"
                        + " postgresql://user@host/database."), Map.of(StorageUrl.KEY, fileSource));
            }
            text = s;
            source = fileSource;
        } else {
            return null;
        }
        given.put(StorageUrl.KEY, source);
        return new Chosen(parse(text, source), source);
    }

    /** Parses {@code text}; a malformed URL's error names {@code source}. */
    static StorageUrl parse(String text, SettingSource source) {
        try {
            return StorageUrl.parse(text);
        } catch (StorageConfigException e) {
            throw ConfigErrors.attribute(e, Map.of(StorageUrl.KEY, source));
        }
    }

    /** The backend the config file chose with its own {@code storage.url}, if it has one with a known scheme. */
    static Optional<String> fileUrlBackend(Map<String, Object> fileBlock) {
        return fileBlock.get(URL_KEY_IN_BLOCK) instanceof String s ? StorageUrl.backendOf(s) : Optional.empty();
    }

    /**
     * Puts the URL's {@code backend_config} keys into {@code raw} over those of lower sources. A key from the same
     * source level must agree.
     */
    @SuppressWarnings("unchecked")
    static void merge(Chosen url, Map<String, Object> raw, Map<String, SettingSource> given, String backendConfigKey) {
        if (url == null || url.url().backendConfig().isEmpty()) {
            return;
        }
        Object current = raw.get("backend_config");
        if (current != null && !(current instanceof Map<?, ?>)) {
            return; // binding reports a backend_config that is not a mapping, with its key path
        }
        Map<String, Object> merged = current == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>((Map<String, Object>) current);
        url.url().backendConfig().forEach((key, value) -> {
            String path = backendConfigKey + "." + key;
            SettingSource existing = given.get(path);
            if (existing != null && merged.containsKey(key) && rank(existing) <= url.rank()) {
                if (rank(existing) == url.rank() && !agree(key, merged.get(key), value)) {
                    throw conflict(path, url, value, new Given(merged.get(key), existing));
                }
                return; // the same value given beside the URL, or a higher source's: keep it and its source
            }
            merged.put(key, value);
            given.put(path, url.source());
        });
        raw.put("backend_config", merged);
    }

    /**
     * Whether the URL's directory wins over the directory variable {@code v}: a URL on the command line does, and so
     * does one in the environment beside {@code PRODIGY_HOME}.
     */
    static boolean dirOutranks(Chosen url, EnvironmentSettings.Value v) {
        if (url == null || !url.url().backendConfig().containsKey(ConfigLoader.BASE_DIR)) {
            return false;
        }
        SettingSource.Kind level = url.source().kind();
        return level == SettingSource.Kind.EXPLICIT || level == SettingSource.Kind.ENVIRONMENT && v.isProdigyHome();
    }

    /** Whether two values of {@code key} mean the same; directories compare as normalized paths. */
    static boolean agree(String key, Object a, Object b) {
        if (Objects.equals(String.valueOf(a), String.valueOf(b))) {
            return true;
        }
        if (ConfigLoader.BASE_DIR.equals(key) && a instanceof String x && b instanceof String y) {
            try {
                return Path.of(x).normalize().equals(Path.of(y).normalize());
            } catch (InvalidPathException e) {
                return false;
            }
        }
        return false;
    }

    /** Two settings of the same source level that disagree: the message names both and shows no secret. */
    static StorageConfigException conflict(String keyPath, Chosen url, Object urlValue, Given other) {
        return StorageConfigException.of(keyPath, "Conflicting settings for {key}: the storage URL '"
                + url.url().redacted() + "' (" + url.source().describe() + ") sets "
                + quoted(keyPath, urlValue) + ", but " + other.source().describe() + " sets "
                + quoted(keyPath, other.value()) + ". Give only one of them, or make them agree.");
    }

    /** The note for {@code info} when a higher source chose another backend than the URL. */
    static String ignoredNote(Chosen url, String chosenBackend, SettingSource chosenBy) {
        return StorageUrl.KEY + " '" + url.url().redacted() + "' from " + url.source().describe()
                + " was ignored: it selects backend '" + url.backend() + "', but backend '" + chosenBackend.strip()
                + "' was chosen by " + chosenBy.describe() + ".";
    }

    /** A source's precedence: 0 for explicit values, then environment, file, default. */
    static int rank(SettingSource source) {
        return source.kind().ordinal();
    }

    private static String quoted(String keyPath, Object value) {
        String shown = ConfigKeys.display(keyPath, value);
        return value instanceof String ? "'" + shown + "'" : shown;
    }
}
