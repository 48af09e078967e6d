package io.prodigy.storage.s3;

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
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dead-letter items as generation chains under {@code <prefix>dlq/<repo>/<job>/<item>/}, each generation the whole
 * item with its claim, with an order index per job by enqueue time ({@link OrderIndex}): a page of {@code list} reads
 * only its items (docs/s3.md). Every change to an item (a failure, a claim, a release, a removal) is one create-only
 * generation, so concurrent changes to one item never overwrite each other and an item is
 * claimed by at most one live claim: two claimers race for the same next generation and one gets 412.
 */
final class S3DlqStorage implements DlqStorage {

    static final String KIND = "DLQ item";
    private static final Comparator<DlqItem> OLDEST_FIRST = DlqClaims.OLDEST_FIRST;

    private final Backend b;
    private final Records<DlqItem> items;
    private final FenceCheck fences;
    /** Per job, how many claim races workers of this storage lost lately (decays on calls without losses). */
    private final Map<JobRef, AtomicInteger> recentLosses = new ConcurrentHashMap<>();

    S3DlqStorage(Backend backend, FenceCheck fences) {
        this.b = backend;
        this.items = new Records<>(backend, fences, DlqItem.class, (before, after) -> OrderIndex.prepare(
                before == null ? null : Orders.DLQ_ITEMS.keyOf(before), Orders.DLQ_ITEMS.keyOf(after), b,
                List.of(b.layout.dlqIndex(after.job()))));
        this.fences = fences;
    }

    /** The job's order index, read as items with the state they were read from (for a claim's write). */
    private OrderIndex<Records.Stored<DlqItem>> index(JobRef job) {
        return new OrderIndex<>(b, Orders.dlqItemsOf(job).by(s -> Orders.DLQ_ITEMS.keyOf(s.value())), true,
                key -> Optional.ofNullable(items.stored(b.layout.dlqItem(job, key.parts().get(0))))
                        .filter(s -> s.value().job().equals(job)));
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
        Arguments.failure(job, failure);
        return items.modify(b.layout.dlqItem(job, failure.itemId()), fenced(job), fence, existing -> {
            Instant at = failure.at() != null ? failure.at() : b.now();
            DlqItem stored = DlqItem.recording(job, existing, failure, at);
            // A failure already recorded (a retry of this add) writes nothing.
            return stored == existing ? Generations.done(stored) : Generations.write(stored, stored);
        });
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        return Optional.ofNullable(items.load(b.layout.dlqItem(job, itemId)));
    }

    /**
     * Walks the job's order index from the cursor (bounded by the filter's times) and reads only the items of the
     * page; retry-count filters are evaluated on the items read (docs/s3.md, "Paging").
     */
    @Override
    public Page<DlqItem> list(DlqFilter filter, PageRequest page) {
        if (filter == null) {
            throw new InvalidInputException("DLQ filter is missing: use DlqFilter.forJob(job).");
        }
        Orders.dlqItemsOf(filter.job()).position(page);
        b.ensureOpen();
        return index(filter.job()).page(b.layout.dlqIndex(filter.job()), page, filter.after(), filter.before(),
                s -> filter.matches(s.value())).map(Records.Stored::value);
    }

    @Override
    public DlqStats stats(JobRef job) {
        requireJob(job);
        return DlqStats.of(job, all(job), b.now());
    }

    /**
     * Walks the job's items oldest first and claims each one that is free, until {@code maxItems}: per item one
     * create-only generation; an item another worker claimed meanwhile is skipped. The items come from a listing of
     * the job's records (one LIST per 1,000 objects, a GET only per item changed since this process read it), not from
     * the order index: a claim passes over every item claimed before it, and through the index each would cost a
     * LIST of its own. Not atomic as a batch (each item
     * is claimed or not on its own), so a failure part-way leaves the items claimed so far claimed until their lease
     * ends.
     */
    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
        Arguments.claim(job, worker, maxItems, lease, Limits.DEFAULT);
        b.ensureOpen();
        fences.check(fence, fenced(job));
        AtomicInteger contention = recentLosses.computeIfAbsent(job, j -> new AtomicInteger());
        while (true) {
            List<DlqItem> claimed = new ArrayList<>();
            Instant seen = b.now();
            List<Records.Stored<DlqItem>> free = stored(job).stream()
                    .filter(s -> !s.value().isClaimedAt(seen)).toList();
            // Oldest first. Under contention (workers of this process lost races on this job lately) start at a
            // random one of the oldest few, so workers spread out instead of all racing for the same item.
            int losses = contention.get();
            int start = losses == 0 || free.isEmpty() ? 0
                    : ThreadLocalRandom.current().nextInt(Math.min(free.size(), losses * maxItems + 1));
            int lost = 0;
            for (int n = 0; n < free.size() && claimed.size() < maxItems; n++) {
                Records.Stored<DlqItem> candidate = free.get((start + n) % free.size());
                Generations.Attempt<DlqItem> got = b.gens.attempt(candidate.base(), candidate.current(),
                        candidate.readAt(), current -> {
                            fences.check(fence, fenced(job));
                            DlqItem existing = current.as(DlqItem.class);
                            List<DlqItem> taken = DlqClaims.claim(existing == null ? List.of()
                                    : List.of(existing), worker, 1, lease, b.now());
                            return taken.isEmpty() ? Generations.done(null)
                                    : Generations.write(taken.get(0), taken.get(0));
                        });
                if (got.lost()) {
                    lost++;
                } else if (got.result() != null) {
                    claimed.add(got.result());
                }
            }
            contention.set(lost > 0 ? Math.min(64, losses + lost) : Math.max(0, losses - 1));
            // Empty after lost races: the items may have been taken, or changed by an add; look again.
            if (!claimed.isEmpty() || lost == 0) {
                claimed.sort(OLDEST_FIRST);
                return claimed;
            }
        }
    }

    @Override
    public DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        Arguments.claimLease(job, lease);
        return items.modify(b.layout.dlqItem(job, itemId), fenced(job), Fence.NONE, existing -> {
            if (existing == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            DlqItem extended = DlqClaims.extend(existing, claimToken, lease, b.now());
            return Generations.write(extended, extended);
        });
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        return items.modify(b.layout.dlqItem(job, itemId), fenced(job), fence, existing -> {
            if (existing == null) {
                return Generations.done(false);
            }
            if (claimToken != null) {
                DlqClaims.requireHolder(existing, claimToken);
            }
            return Generations.tombstone(true);
        });
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        return items.modify(b.layout.dlqItem(job, itemId), fenced(job), fence, existing -> {
            if (existing == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            DlqItem released = DlqClaims.release(existing, claimToken, error, b.now());
            return released == existing ? Generations.done(released) : Generations.write(released, released);
        });
    }

    /**
     * Tombstones every item: one create-only write per item, each checking the fence right before it, so it is not
     * atomic across items (docs/s3.md).
     */
    @Override
    public long purge(JobRef job, Fence fence) {
        Arguments.job(job);
        b.ensureOpen();
        fences.check(fence, fenced(job));
        long removed = 0;
        for (Records.Stored<DlqItem> s : items.all(b.layout.dlq(job), Layout::baseOf)) {
            if (s.value().job().equals(job) && items.delete(s.base(), fenced(job), fence)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Jobs with a live item, from the cursor on: job directories are listed in job order with {@code start-after}
     * ({@link JobListing}), and each job of the page is read until its first live item.
     */
    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        Orders.DLQ_JOBS.position(page);
        b.ensureOpen();
        return JobListing.page(b, Orders.DLQ_JOBS, b.layout.dlq(), repository, page, job -> {
            Iterator<Generations.Current> records = b.gens.records(b.layout.dlq(job), null, 1, Layout::baseOf);
            while (records.hasNext()) {
                if (records.next().live()) {
                    return true;
                }
            }
            return false;
        });
    }

    private List<DlqItem> all(JobRef job) {
        return stored(job).stream().map(Records.Stored::value).toList();
    }

    /** The job's live items, oldest first, with the state they were read from. */
    private List<Records.Stored<DlqItem>> stored(JobRef job) {
        return items.all(b.layout.dlq(job), Layout::baseOf).stream()
                .filter(s -> s.value().job().equals(job))
                .sorted(Comparator.comparing(Records.Stored::value, OLDEST_FIRST))
                .toList();
    }

    private static String fenced(JobRef job) {
        return "DLQ of job " + job;
    }

    private static void requireJob(JobRef job) {
        Arguments.job(job);
    }
}
