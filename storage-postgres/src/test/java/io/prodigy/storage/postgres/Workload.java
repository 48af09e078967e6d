package io.prodigy.storage.postgres;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.error.FailureOutcome;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The workload of the fault and multi-process tests, as a caller would write it: appends and claims retried while
 * the error says "retryable", with the same event ids (appends are idempotent), and a record of what was
 * acknowledged, what was claimed (with each claim's lease, to check that no two live claims overlapped) and which
 * errors the caller saw.
 */
final class Workload {

    /** One claim as returned: who, and the lease in store time. */
    record Claim(String item, String worker, java.time.Instant from, java.time.Instant to) {}

    final Queue<String> acknowledged = new ConcurrentLinkedQueue<>();
    final Queue<Claim> claims = new ConcurrentLinkedQueue<>();
    final Map<String, String> removed = new ConcurrentHashMap<>();
    final Queue<Throwable> fatal = new ConcurrentLinkedQueue<>();
    final AtomicInteger retryable = new AtomicInteger();
    final AtomicInteger unknownOutcome = new AtomicInteger();

    /** Runs {@code call} until it succeeds, counting retryable failures; a non-retryable one is recorded and thrown. */
    <T> T retrying(Supplier<T> call) {
        while (true) {
            try {
                return call.get();
            } catch (StorageException e) {
                if (!e.isRetryable()) {
                    fatal.add(e);
                    throw e;
                }
                retryable.incrementAndGet();
                if (e.outcome() == FailureOutcome.UNKNOWN) {
                    unknownOutcome.incrementAndGet();
                }
                sleep(5);
            } catch (RuntimeException e) {
                fatal.add(e);
                throw e;
            }
        }
    }

    /** Appends {@code batches} batches of {@code size} events with ids {@code <prefix>-<batch>-<n>}. */
    void append(UnifiedStorage s, JobRef job, String prefix, int batches, int size) {
        for (int b = 0; b < batches; b++) {
            List<NewEvent> batch = new ArrayList<>(size);
            List<String> ids = new ArrayList<>(size);
            for (int n = 0; n < size; n++) {
                String id = prefix + "-" + b + "-" + n;
                ids.add(id);
                batch.add(new NewEvent(id, null, "progress", Json.nodes().objectNode().put("n", n), null, prefix));
            }
            retrying(() -> s.events().append(job, batch));
            acknowledged.addAll(ids);
        }
    }

    /** Claims and removes items of {@code job} until {@code total} items have been removed (by anyone). */
    void drain(UnifiedStorage s, JobRef job, String worker, int total, Duration lease) {
        while (removed.size() < total) {
            List<DlqItem> got = retrying(() -> s.dlq().claim(job, worker, 3, lease));
            if (got.isEmpty()) {
                sleep(20);
                continue;
            }
            for (DlqItem item : got) {
                claims.add(new Claim(item.itemId(), worker, item.claim().claimedAt(), item.claim().expiresAt()));
                String token = item.claim().token();
                boolean gone = retrying(() -> s.dlq().remove(job, item.itemId(), token));
                // false after a retry: our first attempt removed it and only the reply was lost
                String previous = removed.putIfAbsent(item.itemId(), worker);
                if (previous != null && gone) {
                    fatal.add(new AssertionError("item " + item.itemId() + " removed by " + previous + " and "
                            + worker));
                }
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
