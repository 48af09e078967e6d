package io.prodigy.storage.memory;

import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Orders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dead-letter queues in memory, one per job, behind one read-write lock.
 *
 * <p>Claims are decided under the write lock against the store's clock, so two claimers can never both get an item
 * whose claim is live: a claim is a compare-and-set of the item's {@link DlqClaim}. Each claim gets a fresh random
 * token; removing or releasing needs the token of the item's live claim. A batch of claims is charged to the budget
 * as one change, so a claim either takes all its items or none.
 */
final class MemoryDlqStorage implements DlqStorage {

    static final String KIND = "DLQ item";

    private final StoreState state;
    private final StoreLock lock = new StoreLock();
    private final Map<JobRef, SizedMap<String, DlqItem>> queues = new HashMap<>();

    MemoryDlqStorage(StoreState state) {
        this.state = state;
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure) {
        requireJob(job);
        if (failure == null) {
            throw new InvalidInputException("DLQ failure for job " + job + " is missing.");
        }
        DlqFailure copy = Copies.failure(failure);
        return state.mutate(() -> lock.write(() -> {
            Instant at = copy.at() != null ? copy.at() : state.now();
            SizedMap<String, DlqItem> queue = queueOf(job);
            DlqItem existing = queue.get(copy.itemId());
            DlqItem stored = existing == null ? DlqItem.firstFailure(job, copy, at) : existing.withFailure(copy, at);
            store(job, queue, stored);
            return Copies.dlqItem(stored);
        }));
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        state.ensureOpen();
        return lock.read(() -> {
            SizedMap<String, DlqItem> queue = queues.get(job);
            return Optional.ofNullable(queue == null ? null : queue.get(itemId)).map(Copies::dlqItem);
        });
    }

    @Override
    public Page<DlqItem> list(DlqFilter filter, PageRequest page) {
        if (filter == null) {
            throw new InvalidInputException("DLQ filter is missing: use DlqFilter.forJob(job).");
        }
        var keyset = Orders.dlqItemsOf(filter.job());
        keyset.position(page);
        state.ensureOpen();
        List<DlqItem> matching = lock.read(() -> items(filter.job()).stream().filter(filter::matches).toList());
        return keyset.page(matching, page).map(Copies::dlqItem);
    }

    @Override
    public DlqStats stats(JobRef job) {
        requireJob(job);
        state.ensureOpen();
        return lock.read(() -> DlqStats.of(job, items(job), state.now()));
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease) {
        requireJob(job);
        if (worker == null || worker.isBlank()) {
            throw new InvalidInputException("Worker name for claiming DLQ items of job " + job
                    + " is missing: pass who reprocesses them.");
        }
        if (maxItems < 1) {
            throw new InvalidInputException("Cannot claim " + maxItems + " DLQ items of job " + job
                    + ": maxItems must be at least 1.");
        }
        if (lease == null || lease.isZero() || lease.isNegative()) {
            throw new InvalidInputException("Invalid claim lease " + lease + " for DLQ items of job " + job
                    + ": pass a positive duration.");
        }
        return state.mutate(() -> lock.write(() -> {
            SizedMap<String, DlqItem> queue = queues.get(job);
            if (queue == null) {
                return List.<DlqItem>of();
            }
            Instant now = state.now();
            List<DlqItem> available = queue.values().stream()
                    .filter(item -> !item.isClaimedAt(now))
                    .sorted(Orders.DLQ_ITEMS.order())
                    .limit(maxItems)
                    .toList();
            Map<String, DlqItem> claimed = new LinkedHashMap<>();
            for (DlqItem item : available) {
                DlqClaim claim = new DlqClaim(UUID.randomUUID().toString(), worker, now, now.plus(lease));
                claimed.put(item.itemId(), item.withClaim(claim));
            }
            queue.putAll(claimed);
            return claimed.values().stream().map(Copies::dlqItem).toList();
        }));
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        return state.mutate(() -> lock.write(() -> {
            SizedMap<String, DlqItem> queue = queues.get(job);
            DlqItem item = queue == null ? null : queue.get(itemId);
            if (item == null) {
                return false;
            }
            if (claimToken != null) {
                requireLiveClaim(item, claimToken);
            }
            queue.remove(itemId);
            dropIfEmpty(job, queue);
            return true;
        }));
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        return state.mutate(() -> lock.write(() -> {
            SizedMap<String, DlqItem> queue = queues.get(job);
            DlqItem item = queue == null ? null : queue.get(itemId);
            if (item == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            requireLiveClaim(item, claimToken);
            DlqItem released = item.withClaim(null);
            if (error != null) {
                released = released.withFailure(new DlqFailure(itemId, null, error, null, null, null, null),
                        state.now());
            }
            queue.put(itemId, released);
            return Copies.dlqItem(released);
        }));
    }

    @Override
    public long purge(JobRef job) {
        requireJob(job);
        return state.mutate(() -> lock.write(() -> {
            SizedMap<String, DlqItem> queue = queues.remove(job);
            return queue == null ? 0L : (long) queue.clear();
        }));
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        Orders.DLQ_JOBS.position(page);
        state.ensureOpen();
        return Orders.DLQ_JOBS.page(lock.read(() -> queues.keySet().stream()
                .filter(job -> repository == null || job.repository().equals(repository))
                .toList()), page);
    }

    /** Stored items, for a snapshot. */
    List<DlqItem> export() {
        return lock.read(() -> {
            List<DlqItem> out = new ArrayList<>();
            queues.values().forEach(queue -> out.addAll(queue.values()));
            return out;
        });
    }

    void restore(List<DlqItem> loaded) {
        lock.write(() -> loaded.forEach(item -> {
            SizedMap<String, DlqItem> queue = queueOf(item.job());
            if (queue.containsKey(item.itemId())) {
                throw new IllegalArgumentException("DLQ item '" + item.itemId() + "' of job " + item.job()
                        + " occurs twice");
            }
            queue.load(item.itemId(), item);
        }));
    }

    private void store(JobRef job, SizedMap<String, DlqItem> queue, DlqItem item) {
        try {
            queue.put(item.itemId(), item);
        } finally {
            dropIfEmpty(job, queue);
        }
    }

    private void requireLiveClaim(DlqItem item, String claimToken) {
        String key = item.job() + "/" + item.itemId();
        Instant now = state.now();
        DlqClaim claim = item.claim();
        if (claim == null) {
            throw new LockNotHeldException(key, "DLQ item is not claimed; claim it before removing or releasing it");
        }
        if (!claim.token().equals(claimToken)) {
            throw new LockNotHeldException(key, "the claim token does not match the item's current claim (by worker '"
                    + claim.worker() + "', until " + claim.expiresAt() + ")");
        }
        if (!claim.isLiveAt(now)) {
            throw new LockNotHeldException(key, "the claim expired at " + claim.expiresAt() + " (now " + now
                    + "); claim the item again");
        }
    }

    private List<DlqItem> items(JobRef job) {
        SizedMap<String, DlqItem> queue = queues.get(job);
        return queue == null ? List.of() : queue.values();
    }

    private SizedMap<String, DlqItem> queueOf(JobRef job) {
        return queues.computeIfAbsent(job, j -> new SizedMap<>(state.budget(), KIND));
    }

    private void dropIfEmpty(JobRef job, SizedMap<String, DlqItem> queue) {
        if (queue.isEmpty()) {
            queues.remove(job, queue);
        }
    }

    private static void requireJob(JobRef job) {
        if (job == null) {
            throw new InvalidInputException("Job is missing: pass a JobRef (repository and job id).");
        }
    }
}
