package io.prodigy.storage.file;

import io.prodigy.storage.config.ConfigBinder;
import io.prodigy.storage.config.HomeDirectory;
import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.file.maintenance.RetentionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code storage.backend_config} of the file backend (docs/configuration.md), bound with {@link ConfigBinder}:
 * unknown keys and bad values fail with the key path.
 *
 * @param baseDir           root of the global store; default {@code ~/.prodigy}. The factory resolves
 *                          {@code PRODIGY_HOME} / {@code PRODIGY_STORAGE_BASE_PATH} into this key.
 * @param useGlobal         {@code false} is deprecated: a warning is logged once and the global layout is used anyway
 * @param enableFileLocks   OS file locks for cross-process exclusion; {@code false} only excludes threads of one JVM
 *                          (single-process use); default true
 * @param maxFileSize       the active event segment rotates when an append would take it past this many bytes;
 *                          default 104857600 (100 MiB)
 * @param enableCompression gzip rotated event segments and retention archives; default false
 * @param autoMigrateLegacy read by the factory: migrate a project's legacy {@code .prodigy/} on open; default true
 * @param retention         event retention applied by {@link FileStorage#cleanup}; default: keep everything
 */
public record FileConfig(
        Path baseDir, boolean useGlobal, boolean enableFileLocks, long maxFileSize, boolean enableCompression,
        boolean autoMigrateLegacy, Retention retention) {

    public static final long MIN_FILE_SIZE = 1024;

    public static final FileConfig DEFAULT = new FileConfig(HomeDirectory.current().resolve(".prodigy"), true, true,
            104_857_600L, false, true, Retention.NONE);

    public FileConfig {
        if (baseDir == null) {
            throw StorageConfigException.invalidValue("base_dir", null, "a file system path");
        }
        if (maxFileSize < MIN_FILE_SIZE) {
            throw StorageConfigException.invalidValue("max_file_size", maxFileSize,
                    "a whole number of bytes, at least " + MIN_FILE_SIZE);
        }
        retention = retention == null ? Retention.NONE : retention;
    }

    /** Binds {@code raw} ({@code backend_config}) over the defaults. */
    public static FileConfig bind(Map<String, ?> raw) {
        return ConfigBinder.bind(raw, FileConfig.class, DEFAULT, "storage.backend_config");
    }

    public FileConfig withBaseDir(Path dir) {
        return new FileConfig(dir, useGlobal, enableFileLocks, maxFileSize, enableCompression, autoMigrateLegacy,
                retention);
    }

    /**
     * {@code backend_config.retention}: how long events are kept, per repository.
     *
     * @param maxAge          events older than this are removed by a cleanup; {@code null} keeps them regardless of age
     * @param maxEventsPerJob a job keeps at most its newest this-many events; 0 means no limit
     * @param archive         removed events are first copied to {@code events/{repo}/archive/{job}/}; default true
     * @param repositories    per-repository overrides; a key left out falls back to the value above
     */
    public record Retention(Duration maxAge, long maxEventsPerJob, boolean archive,
            Map<String, RepositoryRetention> repositories) {

        public static final Retention NONE = new Retention(null, 0, true, Map.of());

        public Retention {
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                throw StorageConfigException.invalidValue("max_age", maxAge.toString(), "a positive duration");
            }
            if (maxEventsPerJob < 0) {
                throw StorageConfigException.invalidValue("max_events_per_job", maxEventsPerJob,
                        "a whole number, 0 for no limit");
            }
            repositories = repositories == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(repositories));
        }

        /** The policy for one repository: its overrides over the defaults. */
        public RetentionPolicy policyFor(String repository) {
            RepositoryRetention r = repositories.get(repository);
            if (r == null) {
                return new RetentionPolicy(maxAge, maxEventsPerJob, archive);
            }
            return new RetentionPolicy(r.maxAge() != null ? r.maxAge() : maxAge,
                    r.maxEventsPerJob() != null ? r.maxEventsPerJob() : maxEventsPerJob,
                    r.archive() != null ? r.archive() : archive);
        }
    }

    /** Per-repository override of {@link Retention}; {@code null} keys inherit. */
    public record RepositoryRetention(Duration maxAge, Long maxEventsPerJob, Boolean archive) {

        public RepositoryRetention {
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                throw StorageConfigException.invalidValue("max_age", maxAge.toString(), "a positive duration");
            }
            if (maxEventsPerJob != null && maxEventsPerJob < 0) {
                throw StorageConfigException.invalidValue("max_events_per_job", maxEventsPerJob,
                        "a whole number, 0 for no limit");
            }
        }
    }
}
