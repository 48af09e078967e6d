package io.prodigy.storage.event;

import java.util.Locale;

/**
 * How {@link EventStats} classifies an event type. One rule, shared by every backend, so the counts agree:
 * <ul>
 *   <li>{@link #ERROR}: the type ends with {@code _failed} or contains {@code error};</li>
 *   <li>{@link #SUCCESS}: ends with {@code _completed}, {@code _succeeded} or {@code _merged};</li>
 *   <li>{@link #PENDING}: ends with {@code _started}, {@code _queued}, {@code _retrying}, {@code _paused} or
 *       {@code _resumed};</li>
 *   <li>{@link #OTHER}: everything else (progress, checkpoints, queue depth, …).</li>
 * </ul>
 */
public enum EventOutcome {
    ERROR,
    SUCCESS,
    PENDING,
    OTHER;

    public static EventOutcome of(String eventType) {
        String t = eventType.toLowerCase(Locale.ROOT);
        if (t.endsWith("_failed") || t.equals("failed") || t.contains("error")) {
            return ERROR;
        }
        if (t.endsWith("_completed") || t.endsWith("_succeeded") || t.endsWith("_merged") || t.equals("completed")) {
            return SUCCESS;
        }
        if (t.endsWith("_started") || t.endsWith("_queued") || t.endsWith("_retrying") || t.endsWith("_paused")
                || t.endsWith("_resumed")) {
            return PENDING;
        }
        return OTHER;
    }
}
