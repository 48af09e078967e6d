package io.prodigy.storage.file.dlq;

import io.prodigy.storage.Limits;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.JobDirectories;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.RecordIndex;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Keyset;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.dlq.DlqClaims;
import io.prodigy.storage.support.lease.FenceCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Dead-letter queues: one atomic file per item in {@code dlq/{repo}/{job}/items/{item_id}.json}, so adding,
 * claiming or removing an item never rewrites the others. Every change holds the guard of {@code dlq/{repo}/{job}/},
 * which makes claims exclusive across processes: an item is handed to at most one live claim. The claim rules are
 * {@link DlqClaims}'s, failures are recorded once per failure id ({@link DlqItem#recording}), and fences are checked
 * under the same guard, right before the change.
 */
public final class FileDlqStorage implements DlqStorage {

    private static final String KIND = "DLQ item";

    private final StoreContext ctx;
    private final StorageLayout layout;
    private final FenceCheck fences;
    /** Summaries: the item without its work item, history and metadata, which no filter or order looks at. */
    private final RecordIndex<DlqItem> index = new RecordIndex<>(file -> JsonFiles.readOrSkip(file, DlqItem.class,
            KIND).map(i -> new DlqItem(i.job(), i.itemId(), null, i.enqueuedAt(), i.lastFailedAt(), i.retryCount(),
            null, null, null, null)));

    public FileDlqStorage(StoreContext ctx, FenceCheck fences) {
        this.ctx = ctx;
        this.layout = ctx.layout();
        this.fences = fences;
    }

    private static String fenced(JobRef job) {
        return "DLQ of job " + job;
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure, Fence fence) {
        Arguments.failure(job, failure);
        Path file = layout.dlqItemFile(job, failure.itemId());
        return ctx.guarded(layout.dlqJobDir(job), "adding DLQ item '" + failure.itemId() + "'", () -> {
            fences.check(fence, fenced(job));
            JsonFiles.ensureDirectory(file.getParent());
            Instant at = failure.at() != null ? failure.at() : ctx.now();
            DlqItem existing = JsonFiles.read(file, DlqItem.class, KIND).orElse(null);
            DlqItem item = DlqItem.recording(job, existing, failure, at);
            if (item != existing) {
                JsonFiles.write(file, item, KIND);
            }
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
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease, Fence fence) {
        Arguments.claim(job, worker, maxItems, lease, Limits.DEFAULT);
        if (!Files.isDirectory(layout.dlqItemsDir(job))) {
            ctx.checkOpen();
            fences.check(fence, fenced(job));
            return List.of();
        }
        return ctx.guarded(layout.dlqJobDir(job), "claiming DLQ items of job " + job, () -> {
            fences.check(fence, fenced(job));
            List<DlqItem> claimed = DlqClaims.claim(all(job), worker, maxItems, lease, ctx.now());
            for (DlqItem c : claimed) {
                JsonFiles.write(layout.dlqItemFile(job, c.itemId()), c, KIND);
            }
            return claimed;
        });
    }

    @Override
    public DlqItem extendClaim(JobRef job, String itemId, String claimToken, Duration lease) {
        Arguments.job(job);
        Ids.check("DLQ item id", itemId);
        Arguments.claimLease(job, lease);
        Path file = layout.dlqItemFile(job, itemId);
        if (!Files.isDirectory(layout.dlqJobDir(job))) {
            ctx.checkOpen();
            throw new NotFoundException(KIND, job + "/" + itemId);
        }
        return ctx.guarded(layout.dlqJobDir(job), "extending the claim of DLQ item '" + itemId + "'", () -> {
            DlqItem item = JsonFiles.read(file, DlqItem.class, KIND)
                    .orElseThrow(() -> new NotFoundException(KIND, job + "/" + itemId));
            DlqItem extended = DlqClaims.extend(item, claimToken, lease, ctx.now());
            JsonFiles.write(file, extended, KIND);
            return extended;
        });
    }

    @Override
    public boolean remove(JobRef job, String itemId, String claimToken, Fence fence) {
        Path file = layout.dlqItemFile(job, itemId);
        if (!Files.isDirectory(layout.dlqJobDir(job))) {
            ctx.checkOpen();
            fences.check(fence, fenced(job));
            return false;
        }
        return ctx.guarded(layout.dlqJobDir(job), "removing DLQ item '" + itemId + "'", () -> {
            fences.check(fence, fenced(job));
            Optional<DlqItem> item = JsonFiles.read(file, DlqItem.class, KIND);
            if (item.isEmpty()) {
                return false;
            }
            if (claimToken != null) {
                DlqClaims.requireHolder(item.get(), claimToken);
            }
            return JsonFiles.delete(file, KIND);
        });
    }

    @Override
    public DlqItem release(JobRef job, String itemId, String claimToken, String error, Fence fence) {
        Path file = layout.dlqItemFile(job, itemId);
        Ids.check("DLQ item id", itemId);
        if (!Files.isDirectory(layout.dlqJobDir(job))) {
            ctx.checkOpen();
            fences.check(fence, fenced(job));
            throw new NotFoundException(KIND, job + "/" + itemId);
        }
        return ctx.guarded(layout.dlqJobDir(job), "releasing DLQ item '" + itemId + "'", () -> {
            fences.check(fence, fenced(job));
            DlqItem item = JsonFiles.read(file, DlqItem.class, KIND)
                    .orElseThrow(() -> new NotFoundException(KIND, job + "/" + itemId));
            DlqItem released = DlqClaims.release(item, claimToken, error, ctx.now());
            if (released != item) {
                JsonFiles.write(file, released, KIND);
            }
            return released;
        });
    }

    @Override
    public long purge(JobRef job, Fence fence) {
        Objects.requireNonNull(job, "job");
        if (!Files.isDirectory(layout.dlqJobDir(job))) {
            ctx.checkOpen();
            fences.check(fence, fenced(job));
            return 0;
        }
        return ctx.guarded(layout.dlqJobDir(job), "purging the DLQ of job " + job, () -> {
            fences.check(fence, fenced(job));
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
