package io.prodigy.storage.s3;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageKey;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.support.revision.Revisions;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints as generation chains under {@code <prefix>checkpoints/workflow/<workflow>/<id>/} and
 * {@code <prefix>checkpoints/job/<repo>/<job>/<id>/}, each with an entry in two order indexes (all checkpoints, and
 * the checkpoints of its scope; {@link OrderIndex}): a page of {@code list} reads only its checkpoints, {@code latest}
 * lists the scope's index (one LIST per 1,000 checkpoints) and reads from its end until a live one, {@code prune}
 * reads the scope's checkpoints (it writes O(n) tombstones anyway).
 */
final class S3CheckpointStorage implements CheckpointStorage {

    static final String KIND = "checkpoint";

    private final Backend b;
    private final Records<Checkpoint> records;
    private final FenceCheck fences;
    /** The order indexes read as checkpoints ({@code latest}, {@code prune}) and as infos ({@code list}). */
    private final OrderIndex<Checkpoint> byTime;
    private final OrderIndex<CheckpointInfo> infos;

    S3CheckpointStorage(Backend backend, FenceCheck fences) {
        this.b = backend;
        this.fences = fences;
        this.byTime = new OrderIndex<>(backend,
                Orders.CHECKPOINTS.by(c -> Orders.checkpointKey(c.createdAt(), c.id(), c.scope())), true,
                key -> Optional.ofNullable(stored(key)).map(Records.Stored::value));
        this.infos = new OrderIndex<>(backend, Orders.CHECKPOINTS, true,
                key -> Optional.ofNullable(stored(key)).map(S3CheckpointStorage::info));
        this.records = new Records<>(backend, fences, Checkpoint.class, (before, after) -> byTime.prepare(before,
                after, List.of(b.layout.checkpointIndex(), b.layout.checkpointIndex(after.scope()))));
    }

    /** The checkpoint a position of {@link Orders#CHECKPOINTS} names: (time, id, "job", repo, job | "workflow", id). */
    private Records.Stored<Checkpoint> stored(PageKey key) {
        List<String> p = key.parts();
        CheckpointScope scope = p.size() == 4 && p.get(1).equals("job") ? CheckpointScope.job(JobRef.of(p.get(2),
                p.get(3))) : p.size() == 3 && p.get(1).equals("workflow") ? CheckpointScope.workflow(p.get(2)) : null;
        return scope == null ? null : records.stored(b.layout.checkpoint(scope, p.get(0)));
    }

    @Override
    public Checkpoint save(Checkpoint checkpoint, Fence fence) {
        Arguments.record("Checkpoint", checkpoint);
        return records.save(b.layout.checkpoint(checkpoint.scope(), checkpoint.id()),
                name(checkpoint.scope(), checkpoint.id()), fence, current -> Revisions.checkpoint(checkpoint, current));
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        requireScope(scope);
        Ids.check("checkpoint id", id);
        return Optional.ofNullable(records.load(b.layout.checkpoint(scope, id)));
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        requireScope(scope);
        return newest(scope, null);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        requireScope(scope);
        if (kind == null) {
            throw new InvalidInputException("Checkpoint kind is missing: use latest(scope) for any kind.");
        }
        return newest(scope, kind);
    }

    /**
     * Lists the scope's index (LIST only: S3 cannot list backwards) and reads from its newest end, a few in parallel,
     * until a live checkpoint of the kind: usually one LIST per 1,000 checkpoints plus one read.
     */
    private Optional<Checkpoint> newest(CheckpointScope scope, CheckpointKind kind) {
        b.ensureOpen();
        List<PageKey> positions = byTime.positions(b.layout.checkpointIndex(scope));
        int batch = 1;
        for (int end = positions.size(); end > 0; end -= batch, batch = Math.min(32, batch * 2)) {
            List<PageKey> some = positions.subList(Math.max(0, end - batch), end);
            List<Optional<Checkpoint>> read = byTime.resolveAll(some);
            for (int i = read.size() - 1; i >= 0; i--) {
                Optional<Checkpoint> c = read.get(i);
                if (c.isPresent() && c.get().scope().equals(scope) && (kind == null || c.get().kind() == kind)) {
                    return c;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Walks the scope's index (with a scope) or the index of all checkpoints from the cursor, bounded by the filter's
     * times; kind and repository filters are evaluated on the checkpoints read (docs/s3.md, "Paging").
     */
    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        CheckpointFilter f = filter == null ? CheckpointFilter.ALL : filter;
        Orders.CHECKPOINTS.position(page);
        if (f.scope() == null && f.repository() != null) {
            Ids.check("repository name", f.repository());
        }
        b.ensureOpen();
        String dir = f.scope() != null ? b.layout.checkpointIndex(f.scope()) : b.layout.checkpointIndex();
        return infos.page(dir, page, f.after(), f.before(), f::matches);
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        requireScope(scope);
        Ids.check("checkpoint id", id);
        return records.delete(b.layout.checkpoint(scope, id), name(scope, id), fence);
    }

    /**
     * Tombstones all but the newest {@code keep}. Not atomic as a whole: each deletion is its own write, checking the
     * fence right before it, and a checkpoint saved during the prune is either counted or not (docs/s3.md).
     */
    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        Arguments.keep(scope, keep);
        b.ensureOpen();
        fences.check(fence, "checkpoints of " + scope);
        // The scope's index is in NEWEST_LAST order within the scope.
        List<Checkpoint> oldestFirst = byTime.all(b.layout.checkpointIndex(scope)).stream()
                .filter(c -> c.scope().equals(scope)).toList();
        int deleted = 0;
        for (int i = 0; i < oldestFirst.size() - keep; i++) {
            Checkpoint c = oldestFirst.get(i);
            if (records.delete(b.layout.checkpoint(scope, c.id()), name(scope, c.id()), fence)) {
                deleted++;
            }
        }
        return deleted;
    }

    private static String name(CheckpointScope scope, String id) {
        return KIND + " '" + id + "' of " + scope;
    }

    private static CheckpointInfo info(Records.Stored<Checkpoint> s) {
        Checkpoint c = s.value();
        return new CheckpointInfo(c.id(), c.scope(), c.kind(), c.createdAt(), c.stepIndex(), s.sizeBytes(),
                c.revision());
    }

    private static void requireScope(CheckpointScope scope) {
        if (scope == null) {
            throw new InvalidInputException("Checkpoint scope is missing: use CheckpointScope.workflow(id) or"
                    + " CheckpointScope.job(job).");
        }
    }
}
