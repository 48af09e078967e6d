package io.prodigy.storage;

/**
 * Optional behaviour a backend declares through {@link StorageProvider#capabilities()}. The contract test kit checks
 * every declared capability and skips, visibly, the tests that need one a backend lacks.
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
    /** Events of different jobs have a total order as well. */
    GLOBAL_EVENT_ORDER,
    /** Subscribers are woken by the backend on appends (otherwise they poll). */
    PUSH_NOTIFICATIONS,
    /**
     * Expiry of locks, claims and TTLs follows {@link StorageContext#clock()}, so tests can move time. Backends that
     * use server time (for example a database's {@code now()}) do not declare it.
     */
    CLIENT_CLOCK,
    /**
     * A {@link io.prodigy.storage.lock.Fence} is checked atomically with the write it guards: once a newer lease of the
     * fence's key has been granted, no write with the older token is applied, not even one whose check started
     * before the grant. Without it a backend still rejects a stale token it sees, but a write racing a grant may land
     * after it (S3, for example, cannot check one object and write another in one step).
     */
    ATOMIC_FENCING
}
