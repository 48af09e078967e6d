package io.prodigy.storage.core.config;

import static io.prodigy.storage.core.config.EnvironmentVariables.HOME;
import static io.prodigy.storage.core.config.EnvironmentVariables.STORAGE_BASE_PATH;
import static io.prodigy.storage.core.config.EnvironmentVariables.STORAGE_DIR;
import static io.prodigy.storage.core.config.EnvironmentVariables.STORAGE_PATH;
import static io.prodigy.storage.core.config.EnvironmentVariables.STORAGE_TYPE;
import static io.prodigy.storage.core.config.EnvironmentVariables.STORAGE_URL;
import static io.prodigy.storage.core.config.EnvironmentVariables.USE_LOCAL_STORAGE;

import io.prodigy.storage.core.config.url.StorageUrl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the environment says about storage: the storage URL, the backend, the base directory (with the precedence among the directory
 * variables) and the warnings the variables deserve. Pure: reads an injected map and logs nothing itself.
 */
final class EnvironmentSettings {

    /** A value and the variable it came from. */
    record Value(String variable, String value) {
        SettingSource source() {
            return SettingSource.environment(variable);
        }

        /** {@code PRODIGY_HOME}: a home for more than storage, so it yields to a storage URL set beside it. */
        boolean isProdigyHome() {
            return variable.equals(HOME);
        }

        /** The value may be a URL with a password. */
        @Override
        public String toString() {
            return variable + "=" + StorageUrl.redact(value);
        }
    }

    /** Directory variables, highest precedence first. */
    private static final List<String> BASE_DIR_VARIABLES = List.of(STORAGE_BASE_PATH, STORAGE_DIR, STORAGE_PATH, HOME);

    private final Value url;
    private final Value backend;
    private final Value baseDir;
    private final Value home;
    private final List<String> warnings;

    private EnvironmentSettings(Value url, Value backend, Value baseDir, Value home, List<String> warnings) {
        this.url = url;
        this.backend = backend;
        this.baseDir = baseDir;
        this.home = home;
        this.warnings = List.copyOf(warnings);
    }

    static EnvironmentSettings read(Map<String, String> env) {
        Value backend = value(env, STORAGE_TYPE);
        Value baseDir = null;
        for (String variable : BASE_DIR_VARIABLES) {
            baseDir = value(env, variable);
            if (baseDir != null) {
                break;
            }
        }
        List<String> warnings = new ArrayList<>();
        for (String deprecated : List.of(STORAGE_DIR, STORAGE_PATH)) {
            if (value(env, deprecated) != null) {
                String shadowed = baseDir.variable().equals(deprecated) ? ""
                        : " It is ignored because " + baseDir.variable() + " is set.";
                warnings.add("Environment variable " + deprecated + " is deprecated and will be removed in a future"
                        + " version; use " + STORAGE_BASE_PATH + " instead." + shadowed);
            }
        }
        if (value(env, USE_LOCAL_STORAGE) != null) {
            warnings.add("Environment variable " + USE_LOCAL_STORAGE + " has no effect: local (per-project) storage"
                    + " was removed and all data is kept in global storage. Unset it; to move the storage directory,"
                    + " set " + STORAGE_BASE_PATH + ".");
        }
        return new EnvironmentSettings(value(env, STORAGE_URL), backend, baseDir, value(env, HOME), warnings);
    }

    /** {@code PRODIGY_STORAGE_URL}, if set. */
    Optional<Value> url() {
        return Optional.ofNullable(url);
    }

    /** {@code PRODIGY_STORAGE_TYPE}, if set. */
    Optional<Value> backend() {
        return Optional.ofNullable(backend);
    }

    /** The file backend's base directory from the highest-ranked directory variable that is set. */
    Optional<Value> baseDir() {
        return Optional.ofNullable(baseDir);
    }

    /** {@code PRODIGY_HOME}, if set. */
    Optional<Value> home() {
        return Optional.ofNullable(home);
    }

    /** Deprecation and no-effect warnings, in a stable order. */
    List<String> warnings() {
        return warnings;
    }

    private static Value value(Map<String, String> env, String variable) {
        String v = env.get(variable);
        return v == null || v.isBlank() ? null : new Value(variable, v.strip());
    }
}
