package io.prodigy.storage.memory;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints in memory, grouped by scope (a workflow or a job), behind one read-write lock. Writes are optimistic
 * and fenced like sessions. {@link CheckpointInfo#sizeBytes()} is the checkpoint's JSON size, the same figure charged
 * to {@code max_memory}.
 */
final class MemoryCheckpointStorage implements CheckpointStorage {

    static final String KIND = "checkpoint";

    private final StoreState state;
    private final FenceCheck fences;
    private final StoreLock lock = new StoreLock();
    private final Map<CheckpointScope, SizedMap<String, Checkpoint>> scopes = new HashMap<>();

    MemoryCheckpointStorage(StoreState state, FenceCheck fences) {
        this.state = state;
        this.fences = fences;
    }

    @Override
    public Checkpoint save(Checkpoint checkpoint, Fence fence) {
        Arguments.record("Checkpoint", checkpoint);
        Checkpoint copy = Copies.checkpoint(checkpoint);
        String key = copy.id();
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, KIND + " '" + key + "' of " + copy.scope());
            SizedMap<String, Checkpoint> rows = rowsOf(copy.scope());
            try {
                Revisions.Saved<Checkpoint> saved = Revisions.checkpoint(copy, rows.get(copy.id()));
                if (!saved.alreadyStored()) {
                    rows.put(copy.id(), saved.record());
                }
                return Copies.checkpoint(saved.record());
            } finally {
                dropIfEmpty(copy.scope(), rows);
            }
        }));
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        requireScope(scope);
        Ids.check("checkpoint id", id);
        state.ensureOpen();
        return lock.read(() -> {
            SizedMap<String, Checkpoint> rows = scopes.get(scope);
            return Optional.ofNullable(rows == null ? null : rows.get(id)).map(Copies::checkpoint);
        });
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        return newest(scope, null);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        if (kind == null) {
            throw new InvalidInputException("Checkpoint kind is missing: use latest(scope) for any kind.");
        }
        return newest(scope, kind);
    }

    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        CheckpointFilter f = filter == null ? CheckpointFilter.ALL : filter;
        Orders.CHECKPOINTS.position(page);
        state.ensureOpen();
        List<CheckpointInfo> matching = lock.read(() -> {
            List<CheckpointInfo> out = new ArrayList<>();
            scopes.forEach((scope, rows) -> {
                if (f.scope() == null || f.scope().equals(scope)) {
                    for (Checkpoint c : rows.values()) {
                        CheckpointInfo info = new CheckpointInfo(c.id(), c.scope(), c.kind(), c.createdAt(),
                                c.stepIndex(), rows.bytesOf(c.id()), c.revision());
                        if (f.matches(info)) {
                            out.add(info);
                        }
                    }
                }
            });
            return out;
        });
        return Orders.CHECKPOINTS.page(matching, page);
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        requireScope(scope);
        Ids.check("checkpoint id", id);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, KIND + " '" + id + "' of " + scope);
            SizedMap<String, Checkpoint> rows = scopes.get(scope);
            if (rows == null) {
                return false;
            }
            boolean removed = rows.remove(id) != null;
            dropIfEmpty(scope, rows);
            return removed;
        }));
    }

    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        Arguments.keep(scope, keep);
        return state.mutate(() -> lock.write(() -> {
            fences.check(fence, "checkpoints of " + scope);
            SizedMap<String, Checkpoint> rows = scopes.get(scope);
            if (rows == null || rows.size() <= keep) {
                return 0;
            }
            List<Checkpoint> oldestFirst = rows.values();
            oldestFirst.sort(Orders.CHECKPOINTS_NEWEST_LAST);
            int doomed = oldestFirst.size() - keep;
            for (int i = 0; i < doomed; i++) {
                rows.remove(oldestFirst.get(i).id());
            }
            dropIfEmpty(scope, rows);
            return doomed;
        }));
    }

    /** Stored checkpoints, for a snapshot. */
    List<Checkpoint> export() {
        return lock.read(() -> {
            List<Checkpoint> out = new ArrayList<>();
            scopes.values().forEach(rows -> out.addAll(rows.values()));
            return out;
        });
    }

    void restore(List<Checkpoint> loaded) {
        lock.write(() -> loaded.forEach(c -> {
            SizedMap<String, Checkpoint> rows = rowsOf(c.scope());
            if (rows.containsKey(c.id())) {
                throw new IllegalArgumentException("checkpoint '" + c.id() + "' of " + c.scope() + " occurs twice");
            }
            rows.load(c.id(), c);
        }));
    }

    private Optional<Checkpoint> newest(CheckpointScope scope, CheckpointKind kind) {
        requireScope(scope);
        state.ensureOpen();
        return lock.read(() -> {
            SizedMap<String, Checkpoint> rows = scopes.get(scope);
            if (rows == null) {
                return Optional.<Checkpoint>empty();
            }
            return rows.values().stream()
                    .filter(c -> kind == null || c.kind() == kind)
                    .max(Orders.CHECKPOINTS_NEWEST_LAST)
                    .map(Copies::checkpoint);
        });
    }

    private SizedMap<String, Checkpoint> rowsOf(CheckpointScope scope) {
        return scopes.computeIfAbsent(scope, s -> new SizedMap<>(state.budget(), KIND));
    }

    private void dropIfEmpty(CheckpointScope scope, SizedMap<String, Checkpoint> rows) {
        if (rows.isEmpty()) {
            scopes.remove(scope, rows);
        }
    }

    private static void requireScope(CheckpointScope scope) {
        Arguments.scope(scope);
    }
}
