package io.prodigy.storage.dlq;

import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.Objects;

/**
 * Which items of one job's queue {@link DlqStorage#list} returns. {@code after}/{@code before} bound
 * {@code enqueuedAt} (exclusive); retry bounds are inclusive; {@code null} or 0 limit means no bound.
 */
public record DlqFilter(
        JobRef job, Instant after, Instant before, Integer minRetryCount, Integer maxRetryCount, int limit) {

    public DlqFilter {
        Objects.requireNonNull(job, "job");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
    }

    public static DlqFilter forJob(JobRef job) {
        return new DlqFilter(job, null, null, null, null, 0);
    }

    public DlqFilter withAfter(Instant t) {
        return new DlqFilter(job, t, before, minRetryCount, maxRetryCount, limit);
    }

    public DlqFilter withBefore(Instant t) {
        return new DlqFilter(job, after, t, minRetryCount, maxRetryCount, limit);
    }

    public DlqFilter withRetryCountBetween(Integer min, Integer max) {
        return new DlqFilter(job, after, before, min, max, limit);
    }

    public DlqFilter withLimit(int n) {
        return new DlqFilter(job, after, before, minRetryCount, maxRetryCount, n);
    }

    public boolean matches(DlqItem item) {
        return item.job().equals(job)
                && (after == null || item.enqueuedAt().isAfter(after))
                && (before == null || item.enqueuedAt().isBefore(before))
                && (minRetryCount == null || item.retryCount() >= minRetryCount)
                && (maxRetryCount == null || item.retryCount() <= maxRetryCount);
    }
}
