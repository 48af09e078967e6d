package io.prodigy.storage.dashboard.view;

import io.prodigy.storage.event.EventOutcome;
import java.util.Locale;

/**
 * A job's state as its events tell it. The job's lifecycle events are those whose type starts with {@code job_}
 * (the original tool's {@code job_started}, {@code job_resumed}, {@code job_paused}, {@code job_completed},
 * {@code job_failed}); the last one decides, classified by {@link EventOutcome}: an error type means
 * {@link #FAILED}, a success type {@link #COMPLETED}, a type ending in {@code _paused} {@link #PAUSED}, anything
 * else (started, resumed) {@link #RUNNING}. A job with events but no lifecycle event is {@link #RUNNING}; a job with
 * only DLQ items or checkpoints is {@link #UNKNOWN}.
 */
public enum JobStatus {
    RUNNING,
    COMPLETED,
    FAILED,
    PAUSED,
    UNKNOWN;

    /** Prefix of the lifecycle event types. */
    public static final String LIFECYCLE_PREFIX = "job_";

    public static boolean isLifecycle(String eventType) {
        return eventType.startsWith(LIFECYCLE_PREFIX);
    }

    /** The status after the lifecycle event {@code eventType}. */
    public static JobStatus after(String eventType) {
        if (eventType.toLowerCase(Locale.ROOT).endsWith("_paused")) {
            return PAUSED;
        }
        return switch (EventOutcome.of(eventType)) {
            case ERROR -> FAILED;
            case SUCCESS -> COMPLETED;
            default -> RUNNING;
        };
    }

    /** Lower-case name, as shown and as serialized. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
