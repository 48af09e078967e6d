package io.prodigy.storage.file.event;

import java.time.Instant;

/**
 * Which events a purge or retention run removes: those older than {@code olderThan}, and the first
 * {@code dropFirst} events of the job in sequence order (to keep only the newest ones).
 *
 * @param olderThan remove events with {@code timestamp < olderThan}; {@code null} for no age rule
 * @param dropFirst remove the oldest this-many events; 0 for none
 */
public record Removal(Instant olderThan, long dropFirst) {

    enum Decision { NONE, ALL, SCAN }

    /** What to do with a segment whose events have the job-wide ordinals {@code [ordinalStart, +count)}. */
    Decision classify(SegmentIndex idx, long ordinalStart) {
        if (idx.eventCount() == 0) {
            return Decision.ALL;
        }
        boolean allOld = olderThan != null && idx.maxTimestamp().isBefore(olderThan);
        boolean allDropped = ordinalStart + idx.eventCount() <= dropFirst;
        if (allOld || allDropped) {
            return Decision.ALL;
        }
        boolean noneOld = olderThan == null || !idx.minTimestamp().isBefore(olderThan);
        boolean noneDropped = ordinalStart >= dropFirst;
        return noneOld && noneDropped ? Decision.NONE : Decision.SCAN;
    }

    boolean removes(EventLine e, long ordinal) {
        return (olderThan != null && e.timestamp().isBefore(olderThan)) || ordinal < dropFirst;
    }
}
