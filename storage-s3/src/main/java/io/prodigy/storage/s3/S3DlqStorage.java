package io.prodigy.storage.s3;

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
import io.prodigy.storage.lock.Fence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;

/**
 * Dead-letter items as generation chains under {@code <prefix>dlq/<repo>/<job>/<item>/}, each generation the whole
 * item with its claim. Every change to an item (a failure, a claim, a release, a removal) is one create-only
 * generation, so concurrent changes to one item never overwrite each other and an item is claimed by at most one
 * live claim: two claimers race for the same next generation and one gets 412.
 */
final class S3DlqStorage implements DlqStorage {

    static final String KIND = "DLQ item";
    private static final Comparator<DlqItem> OLDEST_FIRST = Comparator.comparing(DlqItem::enqueuedAt)
            .thenComparing(DlqItem::itemId, Utf8Order.COMPARATOR);

    private final Backend b;
    private final Records<DlqItem> items;
    /** Per job, how many claim races workers of this storage lost lately (decays on calls without losses). */
    private final Map<JobRef, AtomicInteger> recentLosses = new ConcurrentHashMap<>();

    S3DlqStorage(Backend backend, S3LeaseStore leases) {
        this.b = backend;
        this.items = new Records<>(backend, leases, KIND, DlqItem.class, item -> 0);
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure) {
        requireJob(job);
        if (failure == null) {
            throw new InvalidInputException("DLQ failure for job " + job + " is missing.");
        }
        return items.modify(b.layout.dlqItem(job, failure.itemId()), failure.itemId(), Fence.NONE, existing -> {
            Instant at = failure.at() != null ? failure.at() : b.now();
            DlqItem stored = existing == null ? DlqItem.firstFailure(job, failure, at)
                    : existing.withFailure(failure, at);
            return Generations.write(stored, stored);
        });
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        return Optional.ofNullable(items.load(b.layout.dlqItem(job, itemId)));
    }

    @Override
    public List<DlqItem> list(DlqFilter filter) {
        if (filter == null) {
            throw new InvalidInputException("DLQ filter is missing: use DlqFilter.forJob(job).");
        }
        return all(filter.job()).stream()
                .filter(filter::matches)
                .limit(filter.limit() == 0 ? Long.MAX_VALUE : filter.limit())
                .toList();
    }

    @Override
    public DlqStats stats(JobRef job) {
        requireJob(job);
        return DlqStats.of(job, all(job), b.now());
    }

    /**
     * Walks the job's items oldest first and claims each one that is free, until {@code maxItems}: per item one
     * create-only generation; an item another worker claimed meanwhile is skipped. Not atomic as a batch (each item
     * is claimed or not on its own), so a failure part-way leaves the items claimed so far claimed until their lease
     * ends.
     */
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
        b.ensureOpen();
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
                            DlqItem existing = current.as(DlqItem.class);
                            Instant now = b.now();
                            if (existing == null || existing.isClaimedAt(now)) {
                                return Generations.done(null);
                            }
                            DlqClaim claim = new DlqClaim(UUID.randomUUID().toString(), worker, now,
                                    now.plus(lease));
                            DlqItem stored = existing.withClaim(claim);
                            return Generations.write(stored, stored);
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
    public boolean remove(JobRef job, String itemId, String claimToken) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        return items.modify(b.layout.dlqItem(job, itemId), itemId, Fence.NONE, existing -> {
            if (existing == null) {
                return Generations.done(false);
            }
            if (claimToken != null) {
                requireLiveClaim(existing, claimToken);
            }
            return Generations.tombstone(true);
        });
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error) {
        requireJob(job);
        Ids.check("DLQ item id", itemId);
        return items.modify(b.layout.dlqItem(job, itemId), itemId, Fence.NONE, existing -> {
            if (existing == null) {
                throw new NotFoundException(KIND, job + "/" + itemId);
            }
            requireLiveClaim(existing, claimToken);
            DlqItem released = existing.withClaim(null);
            if (error != null) {
                released = released.withFailure(new DlqFailure(itemId, null, error, null, null, null, null),
                        b.now());
            }
            return Generations.write(released, released);
        });
    }

    /** Tombstones every item: one create-only write per item, so it is not atomic across items (docs/s3.md). */
    @Override
    public long purge(JobRef job) {
        requireJob(job);
        long removed = 0;
        for (Records.Stored<DlqItem> s : items.all(b.layout.dlq(job), Layout::baseOf)) {
            if (items.delete(s.base(), s.value().itemId(), Fence.NONE)) {
                removed++;
            }
        }
        return removed;
    }

    /** Jobs with a live item: one LIST of every item generation in scope and one GET per item not cached. */
    @Override
    public List<JobRef> listJobs(String repository) {
        if (repository != null) {
            Ids.check("repository name", repository);
        }
        String prefix = repository == null ? b.layout.dlq() : b.layout.dlq(repository);
        TreeSet<JobRef> jobs = new TreeSet<>(Comparator.comparing(JobRef::repository, Utf8Order.COMPARATOR)
                .thenComparing(JobRef::jobId, Utf8Order.COMPARATOR));
        for (Records.Stored<DlqItem> s : items.all(prefix, Layout::baseOf)) {
            jobs.add(s.value().job());
        }
        return List.copyOf(jobs);
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

    private void requireLiveClaim(DlqItem item, String claimToken) {
        String key = item.job() + "/" + item.itemId();
        Instant now = b.now();
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

    private static void requireJob(JobRef job) {
        if (job == null) {
            throw new InvalidInputException("Job is missing: pass a JobRef (repository and job id).");
        }
    }
}
