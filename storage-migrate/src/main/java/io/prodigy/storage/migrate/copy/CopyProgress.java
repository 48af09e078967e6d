package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.migrate.RecordType;

/**
 * Progress of one record type during a copy, for progress bars.
 *
 * @param recordsDone  records handled so far (copied, or found already in the target)
 * @param recordsTotal records of this type in the source, counted before the copy started
 * @param bytesDone    size of the handled records as JSON, in bytes
 * @param current      what is being copied now (a job, a record id), for display
 */
public record CopyProgress(RecordType type, long recordsDone, long recordsTotal, long bytesDone, String current) {

    /** Done as a fraction from 0 to 1 (1 when there is nothing to copy). */
    public double fraction() {
        return recordsTotal == 0 ? 1.0 : Math.min(1.0, (double) recordsDone / recordsTotal);
    }
}
