package io.prodigy.storage.memory;

import io.prodigy.storage.Limits;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.dlq.DlqClaims;
import io.prodigy.storage.support.lease.FenceCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dead-letter queues in memory, one per job, behind one read-write lock.
 *
 * <p>Claims are decided under the write lock against the store's clock, so two claimers can never both get an item
 * whose claim is live: a claim is a compare-and-set of the item's {@link DlqClaim}. The rules (which items a claim
 * takes, who may remove, release or extend, what a release records) are {@link DlqClaims}'s; failures are recorded
 * once per failure id ({@link DlqItem#recording}). Fences are checked under the write lock, right before the change.
 * A batch of claims is charged to the budget as one change, so a claim either takes all its items or none.
 */
final class MemoryDlqStorage implements DlqStorage {

    static final String KIND = "DLQ item";

    private final StoreState state;
    private final FenceCheck fences;
    private final StoreLock lock = new StoreLock();
    private final Map<JobRef, SizedMap<String, DlqItem>> queues = new HashMap<>();

    MemoryDlqStorage(StoreState state, FenceCheck fences) {
        this.state = state;
        this.fences = fences;
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
        Arguments.failure(job, failure);
        DlqFailure copy = Copies.failure(failure);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, fenced(job));
            Instant at = copy.at() != null ? copy.at() : state.now();
            SizedMap<String, DlqItem> queue = queueOf(job);
            DlqItem existing = queue.get(copy.itemId());
            DlqItem stored = DlqItem.recording(job, existing, copy, at);
            if (stored != existing) {
                store(job, queue, stored);
            }
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
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
        Arguments.claim(job, worker, maxItems, lease, Limits.DEFAULT);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, fenced(job));
            SizedMap<String, DlqItem> queue = queues.get(job);
            if (queue == null) {
                return List.<DlqItem>of();
            }
            Map<String, DlqItem> claimed = new LinkedHashMap<>();
            for (DlqItem item : DlqClaims.claim(queue.values(), worker, maxItems, lease, state.now())) {
                claimed.put(item.itemId(), item);
            }
            queue.putAll(claimed);
            return claimed.values().stream().map(Copies::dlqItem).toList();
        }));
    }

    @Override
    public DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        requireLease(job, lease);
        return state.mutate(() -> lock.write(() -> {
            SizedMap<String, DlqItem> queue = queues.get(job);
            DlqItem item = queue == null ? null : queue.get(itemId);
            if (item == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            DlqItem extended = DlqClaims.extend(item, claimToken, lease, state.now());
            queue.put(itemId, extended);
            return Copies.dlqItem(extended);
        }));
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, fenced(job));
            SizedMap<String, DlqItem> queue = queues.get(job);
            DlqItem item = queue == null ? null : queue.get(itemId);
            if (item == null) {
                return false;
            }
            if (claimToken != null) {
                DlqClaims.requireHolder(item, claimToken);
            }
            queue.remove(itemId);
            dropIfEmpty(job, queue);
            return true;
        }));
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, fenced(job));
            SizedMap<String, DlqItem> queue = queues.get(job);
            DlqItem item = queue == null ? null : queue.get(itemId);
            if (item == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            DlqItem released = DlqClaims.release(item, claimToken, error, state.now());
            if (released != item) {
                queue.put(itemId, released);
            }
            return Copies.dlqItem(released);
        }));
    }

    @Override
    public long purge(JobRef job, Fence fence) {
        requireJob(job);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, fenced(job));
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

    private static String fenced(JobRef job) {
        return "DLQ of job " + job;
    }

    private static void requireLease(JobRef job, Duration lease) {
        Arguments.claimLease(job, lease);
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
        Arguments.job(job);
    }
}
