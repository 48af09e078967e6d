package io.prodigy.storage.migrate.verify;

import io.prodigy.storage.migrate.RecordType;

/**
 * Counts and checksums of one record type in one group, on both sides of a migration.
 *
 * @param group            {@code *} for global records (sessions, workflows, executions, workflow checkpoints), the
 *                         repository for job checkpoints, {@code repository/job} for DLQ items and events
 * @param expectedCount    records in the source (or expected from an import)
 * @param actualCount      of those, how many the target holds
 * @param targetOnly       records the target holds in this group that the source does not (not an error: the target
 *                         may have had data before)
 */
public record ChecksumRow(
        RecordType type, String group, long expectedCount, long actualCount, long targetOnly,
        String expectedChecksum, String actualChecksum) {

    public boolean matches() {
        return expectedCount == actualCount && expectedChecksum.equals(actualChecksum);
    }
}
