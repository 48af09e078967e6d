package io.prodigy.storage.migrate.write;

import java.util.Objects;

/**
 * The outcome of one idempotent write.
 *
 * @param key     the record's key, for messages ({@code session workflow-1}, {@code dlq repo/job item_3}, …)
 * @param detail  why, for {@link WriteOutcome#CONFLICT}: which fields differ; otherwise empty
 */
public record WriteResult(WriteOutcome outcome, String key, String detail) {

    public WriteResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(key, "key");
        detail = detail == null ? "" : detail;
    }

    static WriteResult of(WriteOutcome outcome, String key) {
        return new WriteResult(outcome, key, "");
    }

    static WriteResult conflict(String key, String detail) {
        return new WriteResult(WriteOutcome.CONFLICT, key, detail);
    }

    public boolean isConflict() {
        return outcome == WriteOutcome.CONFLICT;
    }

    /** Whether this write changed the target (or would, in a dry run). */
    public boolean wrote() {
        return outcome == WriteOutcome.CREATED || outcome == WriteOutcome.CONTINUED || outcome == WriteOutcome.UPDATED;
    }
}
