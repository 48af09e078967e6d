package io.prodigy.storage.error;

/**
 * An optimistic-concurrency check failed: the caller wrote with revision {@code expected} but the store holds
 * {@code actual}. Creating a record whose id exists is reported the same way, with {@code expected == 0}.
 */
public class VersionConflictException extends ConflictException {

    private final long expectedRevision;
    private final long actualRevision;

    public VersionConflictException(String kind, String key, long expectedRevision, long actualRevision) {
        super(key, message(kind, key, expectedRevision, actualRevision));
        this.expectedRevision = expectedRevision;
        this.actualRevision = actualRevision;
    }

    private static String message(String kind, String key, long expected, long actual) {
        if (expected == 0) {
            return kind + " '" + key + "' already exists (revision " + actual
                    + "). Load it and update it with its revision instead of creating it again.";
        }
        if (actual == 0) {
            return kind + " '" + key + "' was expected at revision " + expected
                    + " but does not exist (deleted meanwhile?). Create it with revision 0 if that is intended.";
        }
        return "Version conflict on " + kind + " '" + key + "': expected revision " + expected + " but found "
                + actual + ". Another writer changed it; reload, reapply your change and save again.";
    }

    public long expectedRevision() {
        return expectedRevision;
    }

    /** The revision the store holds, or 0 if the record does not exist. */
    public long actualRevision() {
        return actualRevision;
    }
}
