package io.prodigy.storage.file.dlq;

import io.prodigy.storage.Limits;
import io.prodigy.storage.dlq.DlqFailure;
import io.prodigy.storage.dlq.DlqFilter;
import io.prodigy.storage.dlq.DlqItem;
import io.prodigy.storage.dlq.DlqStats;
import io.prodigy.storage.dlq.DlqStorage;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.dlq.DlqClaims;
import io.prodigy.storage.support.fence.FenceCheck;
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
        out.sort(DlqClaims.OLDEST_FIRST);
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
