package io.prodigy.storage.s3;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.support.revision.Revisions;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints as generation chains under {@code <prefix>checkpoints/workflow/<workflow>/<id>/} and
 * {@code <prefix>checkpoints/job/<repo>/<job>/<id>/}. {@code latest}, {@code list} and {@code prune} read every
 * checkpoint of the scope (or of the store, for a filter without one): O(n) GETs, cached after the first.
 */
final class S3CheckpointStorage implements CheckpointStorage {

    static final String KIND = "checkpoint";

    private final Backend b;
    private final Records<Checkpoint> records;
    private final FenceCheck fences;

    S3CheckpointStorage(Backend backend, FenceCheck fences) {
        this.b = backend;
        this.records = new Records<>(backend, fences, Checkpoint.class);
        this.fences = fences;
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

    private Optional<Checkpoint> newest(CheckpointScope scope, CheckpointKind kind) {
        return inScope(scope).stream()
                .filter(s -> kind == null || s.value().kind() == kind)
                .map(Records.Stored::value)
                .max(Orders.CHECKPOINTS_NEWEST_LAST);
    }

    /** Reads every checkpoint in the filter's scope (O(n), docs/s3.md) and pages in memory. */
    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        CheckpointFilter f = filter == null ? CheckpointFilter.ALL : filter;
        Orders.CHECKPOINTS.position(page);
        String prefix = f.scope() != null ? b.layout.checkpoints(f.scope())
                : f.repository() != null ? b.layout.jobCheckpoints(Ids.check("repository name", f.repository()))
                : b.layout.checkpoints();
        return Orders.CHECKPOINTS.page(records.all(prefix, Layout::baseOf).stream()
                .map(S3CheckpointStorage::info).filter(f::matches).toList(), page);
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
        List<Records.Stored<Checkpoint>> oldestFirst = inScope(scope).stream()
                .sorted(Comparator.comparing(Records.Stored::value, Orders.CHECKPOINTS_NEWEST_LAST)).toList();
        int deleted = 0;
        for (int i = 0; i < oldestFirst.size() - keep; i++) {
            Checkpoint c = oldestFirst.get(i).value();
            if (records.delete(oldestFirst.get(i).base(), name(scope, c.id()), fence)) {
                deleted++;
            }
        }
        return deleted;
    }

    private static String name(CheckpointScope scope, String id) {
        return KIND + " '" + id + "' of " + scope;
    }

    private List<Records.Stored<Checkpoint>> inScope(CheckpointScope scope) {
        return records.all(b.layout.checkpoints(scope), Layout::baseOf).stream()
                .filter(s -> s.value().scope().equals(scope)).toList();
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
