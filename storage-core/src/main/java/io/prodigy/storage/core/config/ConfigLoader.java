package io.prodigy.storage.core.config;

import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.HomeDirectory;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.config.url.StorageUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Loads the storage configuration from its sources, in the precedence of spec 102 (highest first):
 * <ol>
 *   <li>explicit values ({@link ConfigOverrides}: {@code --storage-url}, {@code --backend}, {@code --storage-dir});</li>
 *   <li>the environment: {@code PRODIGY_STORAGE_URL}; {@code PRODIGY_STORAGE_TYPE} for the backend; for the file
 *       backend's {@code backend_config.base_dir}, {@code PRODIGY_STORAGE_BASE_PATH}, then the deprecated
 *       {@code PRODIGY_STORAGE_DIR} and {@code PRODIGY_STORAGE_PATH}, then {@code PRODIGY_HOME};</li>
 *   <li>the config file's {@code storage:} block: the {@code --config} file, else {@code $PRODIGY_HOME/config.yml}
 *       when {@code PRODIGY_HOME} is set, else {@code ~/.prodigy/config.yml}; a missing default file is skipped;</li>
 *   <li>the defaults of docs/configuration.md ({@link StorageConfig#DEFAULT}).</li>
 * </ol>
 * The config file's {@code backend_config} belongs to the backend the file chose (its {@code storage.backend}, or the
 * default {@code file} when it names none). When a higher-precedence source chooses another backend
 * ({@code --backend memory}, {@code PRODIGY_STORAGE_TYPE=memory}), that {@code backend_config} is left out instead of
 * failing the other backend with keys it does not know; {@link LoadedConfig#ignored()} says what was left out and why.
 *
 * The directory settings are put into {@code backend_config.base_dir} only when the resolved backend is {@code file}:
 * other providers reject keys they do not know, and {@code PRODIGY_HOME} is commonly set for reasons unrelated to
 * the storage backend. {@code ~} at the start of a directory from the environment, an override or the file's
 * {@code base_dir} means the user's home: {@code HOME} of the loader's environment, else {@code user.home}
 * ({@link HomeDirectory}). The same home holds the default config file and, for the file backend, the default
 * {@code base_dir} ({@code ~/.prodigy}).
 *
 * <p>A storage URL ({@code storage.url}, {@link StorageUrl}) is one setting with its source's precedence; the
 * backend and {@code backend_config} keys it sets are merged with the others, and contradict them only at the same
 * source level, which is an error naming both (see {@code UrlSettings}).
 *
 * <p>Every result is bound strictly with {@link ConfigBinder}: an unknown key, a wrong type or an out-of-range value
 * fails with a {@link StorageConfigException} naming the key path, the value, the valid choices and where the value
 * was set. Nothing is validated against the available providers here; an unknown backend name fails when the factory
 * opens it.
 *
 * <p>Immutable and thread-safe. Warnings (deprecated variables) go to the configured sink.
 */
public final class ConfigLoader {

    /** The file backend's name: the only backend whose {@code base_dir} the environment sets. */
    static final String FILE_BACKEND = "file";
    /** The key the directory settings go to, under {@code backend_config}. */
    static final String BASE_DIR = "base_dir";
    /** The config file name inside Prodigy's home. */
    static final String CONFIG_FILE_NAME = "config.yml";

    private static final String BACKEND_KEY = ConfigKeys.join(ConfigKeys.ROOT, "backend");
    private static final String BACKEND_CONFIG_KEY = ConfigKeys.ROOT + ".backend_config";
    private static final String BASE_DIR_KEY = BACKEND_CONFIG_KEY + "." + BASE_DIR;

    private final Map<String, String> environment;
    /** The home given with {@link #withUserHome}, or {@code null}: then {@link HomeDirectory#of} the environment. */
    private final Path userHome;
    private final Consumer<String> warnings;

    private ConfigLoader(Map<String, String> environment, Path userHome, Consumer<String> warnings) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.userHome = userHome;
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** Reads the process environment and {@code $HOME/.prodigy}; logs each warning once per process. */
    public static ConfigLoader system() {
        return new ConfigLoader(System.getenv(), null, ConfigWarnings.logOncePerProcess());
    }

    /**
     * A loader with this environment instead of the process's (tests, embedding). Its {@code HOME} (else
     * {@code user.home}) becomes the home, unless {@link #withUserHome} names one.
     */
    public ConfigLoader withEnvironment(Map<String, String> env) {
        return new ConfigLoader(env, userHome, warnings);
    }

    /**
     * A loader that looks for {@code .prodigy/config.yml} under {@code home} and expands {@code ~} to it, instead of
     * the environment's {@code HOME} / {@code user.home}. The file backend's default {@code base_dir} is not changed.
     */
    public ConfigLoader withUserHome(Path home) {
        return new ConfigLoader(environment, Objects.requireNonNull(home, "home"), warnings);
    }

    /** The user's home this loader resolves {@code ~} and the default config file against. */
    public Path userHome() {
        return userHome != null ? userHome : HomeDirectory.of(environment);
    }

    /** A loader that passes warnings to {@code sink} (every occurrence) instead of logging them. */
    public ConfigLoader withWarnings(Consumer<String> sink) {
        return new ConfigLoader(environment, userHome, sink);
    }

    /** {@link #load(ConfigOverrides)} without explicit values. */
    public LoadedConfig load() {
        return load(ConfigOverrides.NONE);
    }

    /**
     * Applies every source in precedence order.
     *
     * @throws StorageConfigException for a bad setting (naming its key path and source)
     * @throws io.prodigy.storage.error.InvalidInputException for a missing {@code --config} file or bad YAML syntax
     */
    public LoadedConfig load(ConfigOverrides overrides) {
        Objects.requireNonNull(overrides, "overrides");
        EnvironmentSettings env = readEnvironment();
        Optional<Path> file = configFile(overrides, env);
        Map<String, Object> block = file.map(YamlStorageBlock::read).orElseGet(LinkedHashMap::new);
        SettingSource fileSource = file.map(SettingSource::file).orElse(SettingSource.DEFAULT);
        return assemble(block, fileSource, file.orElse(null), env, overrides);
    }

    /** The environment over the defaults; no config file is read. */
    public LoadedConfig fromEnvironment() {
        return assemble(new LinkedHashMap<>(), SettingSource.DEFAULT, null, readEnvironment(), ConfigOverrides.NONE);
    }

    /** The {@code storage:} block of a YAML config or workflow file over the defaults; the environment is not read. */
    public LoadedConfig fromFile(Path file) {
        return assemble(YamlStorageBlock.read(file), SettingSource.file(file), file, null, ConfigOverrides.NONE);
    }

    /** The {@code storage:} block of YAML text over the defaults; the environment is not read. */
    public LoadedConfig fromYaml(String yaml) {
        Map<String, Object> block = YamlStorageBlock.parse(yaml, "YAML text");
        return assemble(block, SettingSource.inlineYaml(), null, null, ConfigOverrides.NONE);
    }

    /**
     * What one storage URL configures over the defaults; the environment and config files are not read. For opening
     * a second storage by URL (a migration's target). {@code option} says where the URL was given (for example
     * {@code --to}); errors and {@link LoadedConfig#sources()} name it.
     *
     * @throws StorageConfigException for a malformed URL, naming {@code option}
     */
    public LoadedConfig fromUrl(String url, String option) {
        SettingSource source = SettingSource.explicit(option);
        StorageUrl parsed = UrlSettings.parse(url, source);
        StorageConfig config = parsed.toConfig();
        Map<String, SettingSource> sources = new LinkedHashMap<>();
        sources.put(StorageUrl.KEY, source);
        LoadedConfig.leaves(config).keySet().forEach(key -> sources.put(key, key.equals(BACKEND_KEY)
                || key.startsWith(BACKEND_CONFIG_KEY + ".") ? source : SettingSource.DEFAULT));
        return new LoadedConfig(config, sources, null, List.of(), parsed);
    }

    /**
     * The config file {@link #load(ConfigOverrides)} reads: the explicit one, else {@code $PRODIGY_HOME/config.yml}
     * if {@code PRODIGY_HOME} is set and the file exists, else {@code ~/.prodigy/config.yml} if it exists.
     */
    public Optional<Path> configFile(ConfigOverrides overrides) {
        return configFile(overrides, EnvironmentSettings.read(environment));
    }

    private Optional<Path> configFile(ConfigOverrides overrides, EnvironmentSettings env) {
        if (overrides.configFile() != null) {
            // An explicit file must exist; YamlStorageBlock.read says so if it does not.
            return Optional.of(expandHome(overrides.configFile().toString()));
        }
        Path candidate = env.home()
                .map(home -> expandHome(home.value()).resolve(CONFIG_FILE_NAME))
                .orElse(userHome().resolve(".prodigy").resolve(CONFIG_FILE_NAME));
        return Files.isRegularFile(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    private EnvironmentSettings readEnvironment() {
        EnvironmentSettings env = EnvironmentSettings.read(environment);
        env.warnings().forEach(warnings);
        return env;
    }

    /**
     * Layers the sources over the file's block and binds the result.
     *
     * @param env {@code null} when the environment is not a source
     */
    private LoadedConfig assemble(Map<String, Object> fileBlock, SettingSource fileSource, Path configFile,
            EnvironmentSettings env, ConfigOverrides overrides) {
        Map<String, Object> raw = new LinkedHashMap<>(fileBlock);
        // storage.url is not a key of StorageConfig: what it selects and sets is merged into the other keys below.
        raw.remove(UrlSettings.URL_KEY_IN_BLOCK);
        Map<String, SettingSource> given = new LinkedHashMap<>();
        ConfigKeys.leaves(ConfigKeys.ROOT, fileBlock).keySet().forEach(key -> given.put(key, fileSource));
        expandFileBaseDir(raw);

        List<String> ignored = new ArrayList<>();
        UrlSettings.Chosen url = UrlSettings.choose(fileBlock, fileSource, env, overrides, given);
        url = resolveBackend(raw, given, env, overrides, url, ignored);
        dropForeignBackendConfig(fileBlock, fileSource, raw, given, ignored);
        UrlSettings.merge(url, raw, given, BACKEND_CONFIG_KEY);
        resolveBaseDir(raw, given, env, overrides, url);

        StorageConfig config;
        try {
            config = ConfigBinder.bind(raw, StorageConfig.class, StorageConfig.DEFAULT, ConfigKeys.ROOT);
        } catch (StorageConfigException e) {
            throw ConfigErrors.attribute(e, given);
        }
        Map<String, SettingSource> sources = new LinkedHashMap<>();
        if (url != null) {
            sources.put(StorageUrl.KEY, url.source());
        }
        LoadedConfig.leaves(config).keySet()
                .forEach(key -> sources.put(key, given.getOrDefault(key, SettingSource.DEFAULT)));
        return new LoadedConfig(config, sources, configFile, ignored, url == null ? null : url.url());
    }

    /**
     * Leaves out the file's {@code backend_config} when a higher-precedence source chose a backend other than the one
     * the file configures (its own {@code storage.backend}, else the default): those keys were written for another
     * provider, which would reject them.
     */
    private static void dropForeignBackendConfig(Map<String, Object> fileBlock, SettingSource fileSource,
            Map<String, Object> raw, Map<String, SettingSource> given, List<String> ignored) {
        if (!fileBlock.containsKey("backend_config")) {
            return;
        }
        Object chosen = raw.getOrDefault("backend", StorageConfig.DEFAULT.backend());
        Optional<String> fileUrlBackend = UrlSettings.fileUrlBackend(fileBlock);
        Object fileBackend = fileBlock.containsKey("backend") ? fileBlock.get("backend")
                : fileUrlBackend.orElse(StorageConfig.DEFAULT.backend());
        if (!(chosen instanceof String c) || !(fileBackend instanceof String f) || sameBackend(c, f)) {
            return; // same backend, or a bad value that binding reports with its key path
        }
        raw.remove("backend_config");
        given.keySet().removeIf(key -> key.startsWith(BACKEND_CONFIG_KEY + "."));
        ignored.add(BACKEND_CONFIG_KEY + " from " + fileSource.describe() + " was ignored: it configures backend '"
                + f.strip() + "'" + (fileBlock.containsKey("backend") ? ""
                : fileUrlBackend.isPresent() ? " (by its storage.url)" : " (the default)") + ", but backend '"
                + c.strip() + "' was chosen by " + given.getOrDefault(BACKEND_KEY, SettingSource.DEFAULT).describe()
                + ". Settings for '" + c.strip() + "' go in a config file that names it as storage.backend.");
    }

    private static boolean sameBackend(String a, String b) {
        return a.strip().equalsIgnoreCase(b.strip());
    }

    /**
     * Puts the backend of the highest-precedence source into {@code raw}: {@code --backend}, then
     * {@code PRODIGY_STORAGE_TYPE}, then the file's {@code storage.backend}, with the storage URL ranked at its own
     * source's level. A URL and a backend given at the same level must agree.
     *
     * @return the URL still in effect: {@code null} if there is none, or if a higher source chose another backend
     *         (then {@code ignored} says so)
     */
    private static UrlSettings.Chosen resolveBackend(Map<String, Object> raw, Map<String, SettingSource> given,
            EnvironmentSettings env, ConfigOverrides overrides, UrlSettings.Chosen url, List<String> ignored) {
        List<UrlSettings.Given> keys = new ArrayList<>();
        if (overrides.backend() != null) {
            keys.add(new UrlSettings.Given(overrides.backend().strip(),
                    SettingSource.explicit(ConfigOverrides.BACKEND_OPTION)));
        }
        if (env != null && env.backend().isPresent()) {
            keys.add(new UrlSettings.Given(env.backend().get().value(), env.backend().get().source()));
        }
        if (raw.containsKey("backend")) {
            keys.add(new UrlSettings.Given(raw.get("backend"), given.get(BACKEND_KEY)));
        }
        UrlSettings.Given winner = keys.isEmpty() ? null : keys.get(0);
        if (url != null) {
            for (UrlSettings.Given key : keys) {
                if (UrlSettings.rank(key.source()) == url.rank()
                        && !(key.value() instanceof String name && sameBackend(name, url.backend()))) {
                    throw UrlSettings.conflict(BACKEND_KEY, url, url.backend(), key);
                }
            }
            if (winner == null || UrlSettings.rank(winner.source()) > url.rank()) {
                raw.put("backend", url.backend());
                given.put(BACKEND_KEY, url.source());
                return url;
            }
            if (!(winner.value() instanceof String name && sameBackend(name, url.backend()))) {
                ignored.add(UrlSettings.ignoredNote(url, String.valueOf(winner.value()), winner.source()));
                url = null;
            }
        }
        if (winner != null) {
            raw.put("backend", winner.value() instanceof String name ? name.strip() : winner.value());
            given.put(BACKEND_KEY, winner.source());
        }
        return url;
    }

    /** "~" in the file's base_dir means this loader's home, like "~" in the environment and in options. */
    private void expandFileBaseDir(Map<String, Object> raw) {
        if (raw.get("backend_config") instanceof Map<?, ?> bc && bc.get(BASE_DIR) instanceof String fileDir
                && fileDir.startsWith("~")) {
            raw.put("backend_config", withEntry(bc, BASE_DIR, expandHome(fileDir).toString()));
        }
    }

    /**
     * Puts the file backend's directory of the highest-precedence source into {@code raw}: {@code --storage-dir},
     * then the directory variables, then the file's (or the storage URL's, at its level) {@code base_dir}, then the
     * default. A URL's directory and one given at the same level must agree; {@code PRODIGY_HOME} yields to a URL.
     */
    private void resolveBaseDir(Map<String, Object> raw, Map<String, SettingSource> given, EnvironmentSettings env,
            ConfigOverrides overrides, UrlSettings.Chosen url) {
        if (!(raw.getOrDefault("backend", StorageConfig.DEFAULT.backend()) instanceof String backend)) {
            return; // binding reports the bad backend value with its key path
        }
        if (!backend.strip().toLowerCase(Locale.ROOT).equals(FILE_BACKEND)) {
            if (overrides.storageDir() != null) {
                // An explicit directory that would silently be dropped is a mistake worth stopping for.
                throw StorageConfigException.of(BASE_DIR_KEY, "The storage directory (" + ConfigOverrides.STORAGE_DIR_OPTION
                        + " " + overrides.storageDir() + ") applies only to the file backend, but storage.backend is '"
                        + backend + "' (" + given.getOrDefault(BACKEND_KEY, SettingSource.DEFAULT).describe()
                        + "). Leave out " + ConfigOverrides.STORAGE_DIR_OPTION + " or use the file backend.");
            }
            return;
        }
        Object urlDir = url == null ? null : url.url().backendConfig().get(BASE_DIR);
        String dir;
        SettingSource source;
        if (overrides.storageDir() != null) {
            dir = expandHome(overrides.storageDir().toString()).toString();
            source = SettingSource.explicit(ConfigOverrides.STORAGE_DIR_OPTION);
        } else if (env != null && env.baseDir().isPresent() && !UrlSettings.dirOutranks(url, env.baseDir().get())) {
            EnvironmentSettings.Value v = env.baseDir().get();
            dir = expandHome(v.value()).toString();
            source = v.source();
        } else if (raw.get("backend_config") instanceof Map<?, ?> bc && bc.containsKey(BASE_DIR)) {
            return;
        } else {
            if (userHome == null && !userHome().equals(HomeDirectory.current())) {
                // The backend's default ~/.prodigy means the process's home; this loader's environment names another
                // HOME (an injected environment: the CLI's, a test's), so spell the default out. Source: default.
                raw.put("backend_config", withEntry(raw.get("backend_config"), BASE_DIR,
                        userHome().resolve(".prodigy").toString()));
            }
            return;
        }
        if (urlDir != null && url.rank() == UrlSettings.rank(source) && !UrlSettings.agree(BASE_DIR, dir, urlDir)) {
            throw UrlSettings.conflict(BASE_DIR_KEY, url, urlDir, new UrlSettings.Given(dir, source));
        }
        raw.put("backend_config", withEntry(raw.get("backend_config"), BASE_DIR, dir));
        given.put(BASE_DIR_KEY, source);
    }

    /**
     * The file's {@code backend_config} with one more entry. A {@code backend_config} that is not a mapping is left
     * as it is, so that binding reports it with its key path.
     */
    @SuppressWarnings("unchecked")
    private static Object withEntry(Object backendConfig, String key, Object value) {
        if (backendConfig != null && !(backendConfig instanceof Map<?, ?>)) {
            return backendConfig;
        }
        Map<String, Object> copy = backendConfig == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>((Map<String, Object>) backendConfig);
        copy.put(key, value);
        return copy;
    }

    private Path expandHome(String text) {
        return HomeDirectory.expand(text, userHome());
    }
}
