package io.prodigy.storage.migrate.copy;

import io.prodigy.storage.migrate.MigrationException;

/**
 * A copy finished what it could, but the target does not hold the source's data: some records conflict with what
 * the target already had, or the final verification found differences. The {@link #report()} lists them. Everything
 * else was copied; after fixing the cause, running the copy again continues without duplicating anything.
 */
public class CopyFailedException extends MigrationException {

    private final transient CopyReport report;

    public CopyFailedException(String message, CopyReport report) {
        super(message);
        this.report = report;
    }

    public CopyReport report() {
        return report;
    }
}
