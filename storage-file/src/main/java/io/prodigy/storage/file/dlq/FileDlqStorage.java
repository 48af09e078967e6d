package io.prodigy.storage.file.dlq;

import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.JobDirectories;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.RecordIndex;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Orders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Dead-letter queues: one atomic file per item in {@code dlq/{repo}/{job}/items/{item_id}.json}, so adding,
 * claiming or removing an item never rewrites the others. Every change holds the guard of {@code dlq/{repo}/{job}/},
 * which makes claims exclusive across processes: an item is handed to at most one live claim.
 */
public final class FileDlqStorage implements DlqStorage {

    private static final String KIND = "DLQ item";

    private final StoreContext ctx;
    private final StorageLayout layout;
    /** Summaries: the item without its work item, history and metadata, which no filter or order looks at. */
    private final RecordIndex<DlqItem> index = new RecordIndex<>(file -> JsonFiles.readOrSkip(file, DlqItem.class,
            KIND).map(i -> new DlqItem(i.job(), i.itemId(), null, i.enqueuedAt(), i.lastFailedAt(), i.retryCount(),
            null, null, null, null)));

    public FileDlqStorage(StoreContext ctx) {
        this.ctx = ctx;
        this.layout = ctx.layout();
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(failure, "failure");
        Path file = layout.dlqItemFile(job, failure.itemId());
        return ctx.guarded(layout.dlqJobDir(job), "adding DLQ item '" + failure.itemId() + "'", () -> {
            JsonFiles.ensureDirectory(file.getParent());
            Instant at = failure.at() != null ? failure.at() : ctx.now();
            DlqItem item = JsonFiles.read(file, DlqItem.class, KIND).map(i -> i.withFailure(failure, at))
                    .orElseGet(() -> DlqItem.firstFailure(job, failure, at));
            JsonFiles.write(file, item, KIND);
            return item;
        });
    }

    @Override
    public Optional<DlqItem> get(JobRef job, String itemId) {
        ctx.checkOpen();
        return JsonFiles.read(layout.dlqItemFile(job, itemId), DlqItem.class, KIND);
    }

    private List<DlqItem> all(JobRef job) {
        List<DlqItem> out = new ArrayList<>();
        for (Path file : JsonFiles.list(layout.dlqItemsDir(job), ".json")) {
            JsonFiles.readOrSkip(file, DlqItem.class, KIND).ifPresent(out::add);
        }
        out.sort(Orders.DLQ_ITEMS.order());
        return out;
    }

    @Override
    public Page<DlqItem> list(DlqFilter filter, PageRequest page) {
        if (filter == null) {
            throw new InvalidInputException("DLQ filter is missing: use DlqFilter.forJob(job).");
        }
        Keyset<RecordIndex.Indexed<DlqItem>> keyset = Orders.dlqItemsOf(filter.job())
                .by(i -> Orders.DLQ_ITEMS.keyOf(i.summary()));
        keyset.position(page);
        ctx.checkOpen();
        List<RecordIndex.Indexed<DlqItem>> matching = index.scan(layout.dlqItemsDir(filter.job()), ".json").stream()
                .filter(i -> filter.matches(i.summary())).toList();
        // A file replaced since the scan (a claim, a new failure) is read as it is now, kept if it still matches.
        return keyset.page(matching, page, i -> JsonFiles.readOrSkip(i.file(), DlqItem.class, KIND)
                .filter(item -> filter.matches(item) && item.enqueuedAt().equals(i.summary().enqueuedAt())));
    }

    @Override
    public DlqStats stats(JobRef job) {
        ctx.checkOpen();
        return DlqStats.of(job, all(job), ctx.now());
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(worker, "worker");
        if (maxItems < 0) {
            throw new InvalidInputException("maxItems must not be negative, was " + maxItems + ".");
        }
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new InvalidInputException("The claim lease must be positive, was " + lease + ".");
        }
        if (maxItems == 0 || !Files.isDirectory(layout.dlqItemsDir(job))) {
            ctx.checkOpen();
            return List.of();
        }
        return ctx.guarded(layout.dlqJobDir(job), "claiming DLQ items of job " + job, () -> {
            Instant now = ctx.now();
            List<DlqItem> claimed = new ArrayList<>();
            for (DlqItem item : all(job)) {
                if (claimed.size() >= maxItems) {
                    break;
                }
                if (item.isClaimedAt(now)) {
                    continue;
                }
                DlqItem c = item.withClaim(new DlqClaim(UUID.randomUUID().toString(), worker, now, now.plus(lease)));
                JsonFiles.write(layout.dlqItemFile(job, item.itemId()), c, KIND);
                claimed.add(c);
            }
            return claimed;
        });
    }

    private static void checkClaim(JobRef job, DlqItem item, String claimToken, Instant now) {
        DlqClaim claim = item.claim();
        String key = "dlq:" + job + "/" + item.itemId();
        if (claim == null) {
            throw new LockNotHeldException(key, "the item is not claimed");
        }
        if (!claim.token().equals(claimToken)) {
            throw new LockNotHeldException(key, "the token is not the item's current claim (claimed by "
                    + claim.worker() + ")");
        }
        if (!claim.isLiveAt(now)) {
            throw new LockNotHeldException(key, "the claim expired at " + claim.expiresAt());
        }
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken) {
        Path file = layout.dlqItemFile(job, itemId);
        if (!Files.isDirectory(layout.dlqJobDir(job))) {
            ctx.checkOpen();
            return false;
        }
        return ctx.guarded(layout.dlqJobDir(job), "removing DLQ item '" + itemId + "'", () -> {
            Optional<DlqItem> item = JsonFiles.read(file, DlqItem.class, KIND);
            if (item.isEmpty()) {
                return false;
            }
            if (claimToken != null) {
                checkClaim(job, item.get(), claimToken, ctx.now());
            }
            return JsonFiles.delete(file, KIND);
        });
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error) {
        Path file = layout.dlqItemFile(job, itemId);
        Ids.check("DLQ item id", itemId);
        if (!Files.isDirectory(layout.dlqJobDir(job))) {
            ctx.checkOpen();
            throw new NotFoundException(KIND, job + "/" + itemId);
        }
        return ctx.guarded(layout.dlqJobDir(job), "releasing DLQ item '" + itemId + "'", () -> {
            DlqItem item = JsonFiles.read(file, DlqItem.class, KIND)
                    .orElseThrow(() -> new NotFoundException(KIND, job + "/" + itemId));
            Instant now = ctx.now();
            checkClaim(job, item, claimToken, now);
            DlqItem released = item.withClaim(null);
            if (error != null) {
                released = released.withFailure(
                        new DlqFailure(itemId, null, error, item.claim().worker(), null, Map.of(), now), now);
            }
            JsonFiles.write(file, released, KIND);
            return released;
        });
    }

    @Override
    public long purge(JobRef job) {
        Objects.requireNonNull(job, "job");
        if (!Files.isDirectory(layout.dlqJobDir(job))) {
            ctx.checkOpen();
            return 0;
        }
        return ctx.guarded(layout.dlqJobDir(job), "purging the DLQ of job " + job, () -> {
            long n = 0;
            for (Path file : JsonFiles.list(layout.dlqItemsDir(job), ".json")) {
                if (Files.deleteIfExists(file)) {
                    n++;
                }
            }
            if (n > 0) {
                AtomicFiles.fsyncDirectory(layout.dlqItemsDir(job));
            }
            return n;
        });
    }

    @Override
    public Page<JobRef> listJobs(String repository, PageRequest page) {
        return JobDirectories.page(ctx, layout.dlqRoot(), repository, Orders.DLQ_JOBS, page,
                jobDir -> !JsonFiles.list(jobDir.resolve("items"), ".json").isEmpty());
    }
}
