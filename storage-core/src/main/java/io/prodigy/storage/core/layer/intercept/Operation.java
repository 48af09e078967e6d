package io.prodigy.storage.core.layer.intercept;

/**
 * Every operation of the SPI that the layers see, with what an interceptor needs to know about it: the store, the
 * method, whether it changes data, whether it may be retried ({@link RetrySafety}) and whether the timeout bounds it.
 *
 * <p>Names are {@code <store>.<method>} ({@code sessions.save}), the same names the fault-injecting decorator of
 * storage-tck and the metrics use. Overloads that differ only in optional arguments share one operation (both
 * {@code CheckpointStorage.latest} methods are {@link #CHECKPOINTS_LATEST}).
 *
 * <p>Why each write is or is not safe to repeat after an attempt whose outcome is unknown (an attempt that was not
 * applied is always repeated):
 * <ul>
 *   <li>{@code save} of sessions, checkpoints and workflows: revision-checked, so a repeat after an applied attempt
 *       fails with a version conflict rather than writing twice;</li>
 *   <li>{@code sessions.updateState}: sets an absolute state; a repeat after an applied attempt stores the same state
 *       again with one more revision, which only makes concurrent writers reload;</li>
 *   <li>deletes, purges, {@code prune}, {@code dlq.remove}, {@code dlq.extendClaim}, {@code locks.extend},
 *       {@code workflows.recordExecution} (an upsert by id) and {@code flush}: idempotent (a repeat may report
 *       "nothing deleted");</li>
 *   <li>{@code dlq.add}: a failure carries an id the item's history records once, so a repeat of the same
 *       {@link io.prodigy.storage.dlq.DlqFailure} changes nothing;</li>
 *   <li>{@code events.append}: retried only with {@link io.prodigy.storage.Capability#IDEMPOTENT_APPEND};</li>
 *   <li>{@code dlq.release} (a repeat of one without an error finds the claim gone and fails, though the release was
 *       applied; one with an error is recognised by its failure id), {@code dlq.claim} (a repeat would claim
 *       more items, stranding the first claim's until its lease ends), {@code locks.tryAcquire}/{@code acquire}
 *       (would leave a lease nobody holds), {@code locks.release} and {@code locks.forceRelease}: not repeated after an
 *       unknown outcome; the caller reads back.</li>
 * </ul>
 *
 * <p>{@link #EVENTS_SUBSCRIBE} is not bounded by the timeout: a subscription abandoned by a timed-out caller would
 * keep delivering in the background.
 */
public enum Operation {
    SESSIONS_SAVE("sessions", "save", true, RetrySafety.SAFE),
    SESSIONS_LOAD("sessions", "load", false, RetrySafety.SAFE),
    SESSIONS_LIST("sessions", "list", false, RetrySafety.SAFE),
    SESSIONS_DELETE("sessions", "delete", true, RetrySafety.SAFE),
    SESSIONS_UPDATE_STATE("sessions", "updateState", true, RetrySafety.SAFE),

    EVENTS_APPEND("events", "append", true, RetrySafety.SAFE_IF_IDEMPOTENT_APPEND),
    EVENTS_QUERY("events", "query", false, RetrySafety.SAFE),
    EVENTS_AGGREGATE("events", "aggregate", false, RetrySafety.SAFE),
    EVENTS_LAST_SEQUENCE("events", "lastSequence", false, RetrySafety.SAFE),
    EVENTS_LIST_JOBS("events", "listJobs", false, RetrySafety.SAFE),
    EVENTS_SUBSCRIBE("events", "subscribe", false, RetrySafety.UNSAFE, false),
    EVENTS_PURGE("events", "purge", true, RetrySafety.SAFE),
    EVENTS_DELETE_JOB("events", "deleteJob", true, RetrySafety.SAFE),

    CHECKPOINTS_SAVE("checkpoints", "save", true, RetrySafety.SAFE),
    CHECKPOINTS_LOAD("checkpoints", "load", false, RetrySafety.SAFE),
    CHECKPOINTS_LATEST("checkpoints", "latest", false, RetrySafety.SAFE),
    CHECKPOINTS_LIST("checkpoints", "list", false, RetrySafety.SAFE),
    CHECKPOINTS_DELETE("checkpoints", "delete", true, RetrySafety.SAFE),
    CHECKPOINTS_PRUNE("checkpoints", "prune", true, RetrySafety.SAFE),

    DLQ_ADD("dlq", "add", true, RetrySafety.SAFE),
    DLQ_GET("dlq", "get", false, RetrySafety.SAFE),
    DLQ_LIST("dlq", "list", false, RetrySafety.SAFE),
    DLQ_STATS("dlq", "stats", false, RetrySafety.SAFE),
    DLQ_CLAIM("dlq", "claim", true, RetrySafety.UNSAFE),
    DLQ_EXTEND_CLAIM("dlq", "extendClaim", true, RetrySafety.SAFE),
    DLQ_REMOVE("dlq", "remove", true, RetrySafety.SAFE),
    DLQ_RELEASE("dlq", "release", true, RetrySafety.UNSAFE),
    DLQ_PURGE("dlq", "purge", true, RetrySafety.SAFE),
    DLQ_LIST_JOBS("dlq", "listJobs", false, RetrySafety.SAFE),

    WORKFLOWS_SAVE("workflows", "save", true, RetrySafety.SAFE),
    WORKFLOWS_LOAD("workflows", "load", false, RetrySafety.SAFE),
    WORKFLOWS_LIST("workflows", "list", false, RetrySafety.SAFE),
    WORKFLOWS_DELETE("workflows", "delete", true, RetrySafety.SAFE),
    WORKFLOWS_RECORD_EXECUTION("workflows", "recordExecution", true, RetrySafety.SAFE),
    WORKFLOWS_LIST_EXECUTIONS("workflows", "listExecutions", false, RetrySafety.SAFE),
    WORKFLOWS_EXECUTION_COUNT("workflows", "executionCount", false, RetrySafety.SAFE),

    LOCKS_TRY_ACQUIRE("locks", "tryAcquire", true, RetrySafety.UNSAFE),
    LOCKS_ACQUIRE("locks", "acquire", true, RetrySafety.UNSAFE),
    LOCKS_EXTEND("locks", "extend", true, RetrySafety.SAFE),
    LOCKS_RELEASE("locks", "release", true, RetrySafety.UNSAFE),
    LOCKS_CURRENT("locks", "current", false, RetrySafety.SAFE),
    LOCKS_LIST("locks", "list", false, RetrySafety.SAFE),
    LOCKS_FORCE_RELEASE("locks", "forceRelease", true, RetrySafety.UNSAFE),

    STORAGE_FLUSH("storage", "flush", true, RetrySafety.SAFE);

    private final String store;
    private final String method;
    private final String fullName;
    private final boolean mutating;
    private final RetrySafety retrySafety;
    private final boolean timeBounded;

    Operation(String store, String method, boolean mutating, RetrySafety retrySafety) {
        this(store, method, mutating, retrySafety, true);
    }

    Operation(String store, String method, boolean mutating, RetrySafety retrySafety, boolean timeBounded) {
        this.store = store;
        this.method = method;
        this.fullName = store + "." + method;
        this.mutating = mutating;
        this.retrySafety = retrySafety;
        this.timeBounded = timeBounded;
    }

    /** {@code sessions}, {@code events}, {@code checkpoints}, {@code dlq}, {@code workflows}, {@code locks} or {@code storage}. */
    public String store() {
        return store;
    }

    /** The SPI method, for example {@code updateState}. */
    public String method() {
        return method;
    }

    /** {@code <store>.<method>}, for example {@code sessions.save}. */
    public String fullName() {
        return fullName;
    }

    /** Whether the operation may change stored data (reads are never retried unsafely and never invalidate). */
    public boolean isMutating() {
        return mutating;
    }

    public RetrySafety retrySafety() {
        return retrySafety;
    }

    /** Whether {@code storage.timeout} bounds the call. */
    public boolean isTimeBounded() {
        return timeBounded;
    }

    @Override
    public String toString() {
        return fullName;
    }
}
