package io.prodigy.storage.dlq;

import io.prodigy.storage.id.JobRef;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures for one job's queue (spec 093 {@code DLQStats}).
 *
 * @param itemsByRetryCount number of items per retry count
 * @param oldestItem        earliest {@code enqueuedAt}, or {@code null} if empty
 * @param newestItem        latest {@code enqueuedAt}, or {@code null} if empty
 * @param claimedItems      items under a live claim
 */
public record DlqStats(
        JobRef job, long totalItems, Map<Integer, Long> itemsByRetryCount, Instant oldestItem, Instant newestItem,
        double averageRetryCount, long claimedItems) {

    public DlqStats {
        itemsByRetryCount = itemsByRetryCount == null ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(itemsByRetryCount));
    }

    /** Computes the stats of {@code items}, so every backend counts the same way. */
    public static DlqStats of(JobRef job, Collection<DlqItem> items, Instant now) {
        Map<Integer, Long> byRetry = new TreeMap<>();
        Instant oldest = null;
        Instant newest = null;
        long retries = 0;
        long claimed = 0;
        for (DlqItem item : items) {
            byRetry.merge(item.retryCount(), 1L, Long::sum);
            retries += item.retryCount();
            if (oldest == null || item.enqueuedAt().isBefore(oldest)) {
                oldest = item.enqueuedAt();
            }
            if (newest == null || item.enqueuedAt().isAfter(newest)) {
                newest = item.enqueuedAt();
            }
            if (item.isClaimedAt(now)) {
                claimed++;
            }
        }
        double average = items.isEmpty() ? 0.0 : (double) retries / items.size();
        return new DlqStats(job, items.size(), byRetry, oldest, newest, average, claimed);
    }
}
