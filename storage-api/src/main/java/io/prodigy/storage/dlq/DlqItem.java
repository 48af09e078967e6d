package io.prodigy.storage.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.support.InstantRange;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A work item that failed (spec 093 {@code DLQItem}), with its whole failure history.
 *
 * @param job            the job it belongs to
 * @param itemId         the work item's id, unique within the job
 * @param workItem       the work item, as JSON
 * @param enqueuedAt     when it first failed
 * @param lastFailedAt   when it last failed
 * @param retryCount     how many times it failed again after the first failure (0 after one failure)
 * @param lastError      the latest error message
 * @param metadata       item metadata
 * @param failureHistory every failure, oldest first ({@code retryCount + 1} entries)
 * @param claim          the current claim if the item is claimed, else {@code null}; may be expired
 */
public record DlqItem(
        JobRef job, String itemId, JsonNode workItem, Instant enqueuedAt, Instant lastFailedAt, int retryCount,
        String lastError, Map<String, String> metadata, List<FailureRecord> failureHistory, DlqClaim claim) {

    public DlqItem {
        Objects.requireNonNull(job, "job");
        Ids.check("DLQ item id", itemId);
        workItem = workItem == null ? Json.nodes().nullNode() : workItem;
        enqueuedAt = InstantRange.normalize(Objects.requireNonNull(enqueuedAt, "enqueuedAt"));
        lastFailedAt = lastFailedAt == null ? enqueuedAt : InstantRange.normalize(lastFailedAt);
        lastError = lastError == null ? "" : lastError;
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
        failureHistory = failureHistory == null ? List.of() : List.copyOf(failureHistory);
        if (retryCount < 0) {
            throw new IllegalArgumentException("retryCount must not be negative");
        }
    }

    /** The item after its first failure. */
    public static DlqItem firstFailure(JobRef job, DlqFailure f, Instant at) {
        return new DlqItem(job, f.itemId(), f.workItem(), at, at, 0, f.error(), f.metadata(),
                List.of(new FailureRecord(at, f.error(), f.agentId(), f.details(), f.failureId())), null);
    }

    /**
     * This item after one more failure: history appended, retry count incremented, metadata merged. The work item is
     * kept unless the failure carries one. The claim is unchanged.
     */
    public DlqItem withFailure(DlqFailure f, Instant at) {
        Map<String, String> merged = new TreeMap<>(metadata);
        merged.putAll(f.metadata());
        List<FailureRecord> history = new java.util.ArrayList<>(failureHistory);
        history.add(new FailureRecord(at, f.error(), f.agentId(), f.details(), f.failureId()));
        JsonNode item = f.workItem().isNull() ? workItem : f.workItem();
        return new DlqItem(job, itemId, item, enqueuedAt, at, retryCount + 1, f.error(), merged, history, claim);
    }

    /**
     * The item after recording {@code f} ({@link #firstFailure} if {@code existing} is {@code null}), or
     * {@code existing} itself if its history already holds {@code f}'s failure id: a failure is recorded once, however
     * often it is sent. Every backend's {@link DlqStorage#add} resolves to this.
     */
    public static DlqItem recording(JobRef job, DlqItem existing, DlqFailure f, Instant at) {
        if (existing == null) {
            return firstFailure(job, f, at);
        }
        return existing.hasFailure(f.failureId()) ? existing : existing.withFailure(f, at);
    }

    /** Whether the failure history holds a failure recorded under {@code failureId}. */
    public boolean hasFailure(String failureId) {
        for (FailureRecord r : failureHistory) {
            if (failureId.equals(r.failureId())) {
                return true;
            }
        }
        return false;
    }

    public DlqItem withClaim(DlqClaim newClaim) {
        return new DlqItem(job, itemId, workItem, enqueuedAt, lastFailedAt, retryCount, lastError, metadata,
                failureHistory, newClaim);
    }

    /** Whether a live claim holds the item at {@code now}. */
    public boolean isClaimedAt(Instant now) {
        return claim != null && claim.isLiveAt(now);
    }
}
