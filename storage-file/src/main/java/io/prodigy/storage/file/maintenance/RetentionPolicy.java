package io.prodigy.storage.file.maintenance;

import java.time.Duration;

/**
 * What a cleanup removes from each job's event log.
 *
 * @param maxAge          remove events whose timestamp is older than now minus this; {@code null} for no age limit
 * @param maxEventsPerJob keep only the newest this-many events of each job; 0 for no limit
 * @param archive         copy removed events to {@code events/{repo}/archive/{job}/} (durably) before removing them
 */
public record RetentionPolicy(Duration maxAge, long maxEventsPerJob, boolean archive) {

    /** Removes nothing. */
    public static final RetentionPolicy KEEP_ALL = new RetentionPolicy(null, 0, false);

    public RetentionPolicy {
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive");
        }
        if (maxEventsPerJob < 0) {
            throw new IllegalArgumentException("maxEventsPerJob must not be negative");
        }
    }

    public boolean removesAnything() {
        return maxAge != null || maxEventsPerJob > 0;
    }
}
