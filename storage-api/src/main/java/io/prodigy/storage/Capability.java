package io.prodigy.storage;

/**
 * Optional behaviour a backend declares through {@link StorageProvider#capabilities()}. The contract test kit checks
 * every declared capability and skips, visibly, the tests that need one a backend lacks.
 *
 * <p>An open storage reports its own set ({@link UnifiedStorage#capabilities()}), which may be smaller than its
 * provider's: it depends on the configuration (a file store opened with {@code enable_file_locks: false} is not
 * {@link #MULTI_PROCESS}; a Redis without persistence is not {@link #DURABLE}). It is never larger.
 *
 * <p>Only behaviour that a test can observe is a capability. (v1 had {@code GLOBAL_EVENT_ORDER}, which no API exposed,
 * and {@code PUSH_NOTIFICATIONS}, which changes latency only: subscribers poll, and hints merely wake them.)
 */
public enum Capability {
    /** Data survives a restart of the process (and acknowledged writes survive a crash). */
    DURABLE,
    /** Several processes may open the same store at once and see each other's writes. */
    MULTI_PROCESS,
    /**
     * Appending an event whose id the job already holds stores nothing, so an append can be retried safely (see
     * {@link io.prodigy.storage.event.EventStorage#append} for the window a backend must at least cover).
     */
    IDEMPOTENT_APPEND,
    /**
     * A fenced write checks its fencing token in the same atomic step as the write, so a write fenced with a token
     * that was superseded before the write took effect is always refused. Without it (object stores with no
     * transactions) the check and the write are two steps: a write can land after a newer lease was granted if the
     * grant falls between them. The backend's docs state that window.
     */
    ATOMIC_FENCING,
    /**
     * Expiry of locks, claims and TTLs follows {@link StorageContext#clock()}, so tests can move time. Backends that
     * use server time (for example a database's {@code now()}) do not declare it.
     */
    CLIENT_CLOCK
}
