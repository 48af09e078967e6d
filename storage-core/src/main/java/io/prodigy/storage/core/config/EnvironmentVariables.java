package io.prodigy.storage.core.config;

/**
 * The environment variables the storage configuration reads (docs/configuration.md, spec 102). Values that are
 * empty or only white space count as unset.
 */
public final class EnvironmentVariables {

    /** Backend name or provider class: {@code storage.backend}. */
    public static final String STORAGE_TYPE = "PRODIGY_STORAGE_TYPE";

    /**
     * A storage URL that selects and configures the backend ({@code storage.url}, see
     * {@link io.prodigy.storage.core.config.url.StorageUrl}), for example {@code postgresql://app@db/prodigy}.
     */
    public static final String STORAGE_URL = "PRODIGY_STORAGE_URL";

    /** The file backend's base directory: {@code storage.backend_config.base_dir}. */
    public static final String STORAGE_BASE_PATH = "PRODIGY_STORAGE_BASE_PATH";

    /** Deprecated spelling of {@link #STORAGE_BASE_PATH}; still read, below it, with a warning. */
    public static final String STORAGE_DIR = "PRODIGY_STORAGE_DIR";

    /** Deprecated spelling of {@link #STORAGE_BASE_PATH}; still read, below {@link #STORAGE_DIR}, with a warning. */
    public static final String STORAGE_PATH = "PRODIGY_STORAGE_PATH";

    /**
     * Prodigy's home: the file backend's base directory when none of the {@code PRODIGY_STORAGE_*} directory variables
     * is set, and the place of {@code config.yml}.
     */
    public static final String HOME = "PRODIGY_HOME";

    /** Removed: local (per-project) storage no longer exists. Setting it has no effect and logs a warning. */
    public static final String USE_LOCAL_STORAGE = "PRODIGY_USE_LOCAL_STORAGE";

    private EnvironmentVariables() {}
}
