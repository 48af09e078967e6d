package io.prodigy.storage.migrate.prodigy;

/**
 * Counts for one {@link SourceKind}.
 *
 * @param read           records found
 * @param imported       records written to the target (in a dry run: that would be)
 * @param alreadyPresent records the target already held, identical (an earlier import); nothing written
 * @param skipped        records not imported: unreadable, unknown, superseded, or conflicting with the target
 */
public record Tally(long read, long imported, long alreadyPresent, long skipped) {

    public static final Tally ZERO = new Tally(0, 0, 0, 0);
}
