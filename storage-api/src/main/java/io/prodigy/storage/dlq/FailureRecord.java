package io.prodigy.storage.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.util.Objects;

/**
 * One failure of a work item, kept in the item's history.
 *
 * @param at      when it failed
 * @param error   the error message
 * @param agentId the agent that failed, or {@code null}
 * @param details   anything else the caller recorded (exit code, log location, …), or {@code null}
 * @param failureId the {@link DlqFailure#failureId()} it was recorded under, or {@code null} for failures recorded
 *                  before failures had ids
 */
public record FailureRecord(Instant at, String error, String agentId, JsonNode details, String failureId) {

    public FailureRecord {
        at = InstantRange.normalize(Objects.requireNonNull(at, "at"));
        error = error == null ? "" : error;
    }

    /** A record without a failure id. */
    public FailureRecord(Instant at, String error, String agentId, JsonNode details) {
        this(at, error, agentId, details, null);
    }
}
