package io.prodigy.storage.file.dlq;

import io.prodigy.storage.Limits;
import io.prodigy.storage.dlq.DlqClaim;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.LockNotHeldException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.support.Arguments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Dead-letter queues: one atomic file per item in {@code dlq/{repo}/{job}/items/{item_id}.json}, so adding,
 * claiming or removing an item never rewrites the others. Every change holds the guard of {@code dlq/{repo}/{job}/},
 * which makes claims exclusive across processes: an item is handed to at most one live claim.
 */
public final class FileDlqStorage implements DlqStorage {

    private static final String KIND = "DLQ item";
    private static final Comparator<DlqItem> ORDER =
            Comparator.comparing(DlqItem::enqueuedAt).thenComparing(DlqItem::itemId);

    private final StoreContext ctx;
    private final StorageLayout layout;

    public FileDlqStorage(StoreContext ctx) {
        this.ctx = ctx;
        this.layout = ctx.layout();
    }

    @Override
    public DlqItem add(JobRef job, DlqFailure failure) {
        Arguments.failure(job, failure);
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
        out.sort(ORDER);
        return out;
    }

    @Override
    public List<DlqItem> list(DlqFilter filter) {
        ctx.checkOpen();
        List<DlqItem> out = new ArrayList<>();
        for (DlqItem item : all(filter.job())) {
            if (filter.matches(item)) {
                out.add(item);
                if (filter.limit() > 0 && out.size() >= filter.limit()) {
                    break;
                }
            }
        }
        return out;
    }

    @Override
    public DlqStats stats(JobRef job) {
        ctx.checkOpen();
        return DlqStats.of(job, all(job), ctx.now());
    }

    @Override
    public List<DlqItem> claim(JobRef job, String worker, int maxItems, Duration lease) {
        Arguments.claim(job, worker, maxItems, lease, Limits.DEFAULT);
        if (!Files.isDirectory(layout.dlqItemsDir(job))) {
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
        Arguments.job(job);
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
    public List<JobRef> listJobs(String repository) {
        ctx.checkOpen();
        List<Path> repos = repository != null
                ? List.of(layout.dlqRoot().resolve(Ids.check("repository name", repository)))
                : JsonFiles.subdirectories(layout.dlqRoot());
        List<JobRef> out = new ArrayList<>();
        for (Path repoDir : repos) {
            String repo = repoDir.getFileName().toString();
            if (Ids.problem(repo) != null) {
                continue;
            }
            for (Path jobDir : JsonFiles.subdirectories(repoDir)) {
                String jobId = jobDir.getFileName().toString();
                if (Ids.problem(jobId) == null && !JsonFiles.list(jobDir.resolve("items"), ".json").isEmpty()) {
                    out.add(new JobRef(repo, jobId));
                }
            }
        }
        out.sort(null);
        return out;
    }
}
