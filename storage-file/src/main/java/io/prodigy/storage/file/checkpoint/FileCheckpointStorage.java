package io.prodigy.storage.file.checkpoint;

import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.checkpoint.CheckpointStorage;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.FileTimes;
import io.prodigy.storage.file.io.JsonFiles;
import io.prodigy.storage.file.io.NoLinks;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.page.Page;
import io.prodigy.storage.page.PageRequest;
import io.prodigy.storage.support.Arguments;
import io.prodigy.storage.support.Orders;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.support.revision.Revisions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checkpoints, one atomic file each, in the scope's directory: {@code state/{repo}/mapreduce/jobs/{job}/} for
 * MapReduce jobs, {@code workflow_checkpoints/{workflow_id}/} for workflows (names: {@link CheckpointFileNames}).
 * Writes hold the scope directory's guard. An update that changes the file name (a new {@code created_at} or
 * format version) writes the new file, then deletes the old one; if a crash leaves both, the higher revision wins
 * and the next write of that checkpoint removes the other.
 */
public final class FileCheckpointStorage implements CheckpointStorage {

    private static final String KIND = "checkpoint";

    private final StoreContext ctx;
    private final StorageLayout layout;
    private final FenceCheck fences;

    public FileCheckpointStorage(StoreContext ctx, FenceCheck fences) {
        this.ctx = ctx;
        this.layout = ctx.layout();
        this.fences = fences;
    }

    /** A checkpoint file, its size (from the listing) and content. */
    private record Stored(Path file, long size, Checkpoint checkpoint) {}

    /**
     * A parsed checkpoint file; valid while the file has the same inode, size and modification time, a time that had
     * settled when the file was listed ({@link FileTimes}).
     */
    private record Parsed(Object fileKey, long size, FileTime modified, Checkpoint checkpoint) {}

    /**
     * Parsed checkpoint files, so that {@code latest} and {@code list} over a scope with many checkpoints re-read
     * only files that changed. Files are only ever replaced by rename (a new inode), so the identity check is cheap;
     * it is sound only for a file whose time had settled when it was listed, since a freed inode number is reused at
     * once and file times advance a clock tick at a time: a file written less than
     * {@value FileTimes#SETTLED_MILLIS} ms before it was listed is parsed and not kept, whoever wrote it. This store's
     * own writes drop their files' entries at once. Returned checkpoints get a deep copy of their state.
     */
    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();
    private static final int MAX_CACHED = 50_000;

    @Override
    public Checkpoint save(Checkpoint checkpoint, Fence fence) {
        Arguments.record("Checkpoint", checkpoint);
        Path dir = layout.checkpointDir(checkpoint.scope());
        String what = "checkpoint '" + checkpoint.id() + "' of " + checkpoint.scope();
        return ctx.guarded(dir, "saving " + what, () -> {
            fences.check(fence, what);
            Checkpoint written = saveInPlaceOfTheOneFile(dir, checkpoint);
            if (written != null) {
                return written;
            }
            // The revision check needs each file's revision and write id, not the state: files not parsed before
            // (such as the one the last save wrote) are read without it.
            List<Stored> existing = filesInCheckedDir(dir, checkpoint.scope(), checkpoint.id(), true, true);
            Revisions.Saved<Checkpoint> saved = Revisions.checkpoint(checkpoint, newest(existing));
            if (saved.alreadyStored()) {
                // This very write was applied before (a retry whose reply was lost): return the stored one whole.
                Checkpoint current = newest(filesInCheckedDir(dir, checkpoint.scope(), checkpoint.id(), true, false));
                return detached(Revisions.checkpoint(checkpoint, current).record());
            }
            Checkpoint stored = saved.record();
            Path file = dir.resolve(CheckpointFileNames.fileName(stored));
            if (existing.stream().noneMatch(old -> old.file.equals(file))) {
                // A new name: the listing skipped whatever odd entry may hold it, so look at it.
                NoLinks.Kind kind = NoLinks.kindOf(file);
                if (kind != NoLinks.Kind.MISSING && kind != NoLinks.Kind.FILE) {
                    throw NoLinks.notAFile(file, kind);
                }
            }
            JsonFiles.writeInCheckedDir(file, stored, KIND);
            parsed.remove(file);
            boolean removed = false;
            for (Stored old : existing) {
                if (!old.file.equals(file)) {
                    removed |= deleteFile(old.file);
                }
            }
            if (removed) {
                AtomicFiles.fsyncDirectory(dir);
            }
            return stored;
        });
    }

    @Override
    public Optional<Checkpoint> load(CheckpointScope scope, String id) {
        ctx.checkOpen();
        Ids.check("checkpoint id", id);
        return filesOf(layout.checkpointDir(scope), scope, id, true).stream().map(Stored::checkpoint)
                .max(Comparator.comparingLong(Checkpoint::revision)).map(FileCheckpointStorage::detached);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope) {
        return newest(scope, null);
    }

    @Override
    public Optional<Checkpoint> latest(CheckpointScope scope, CheckpointKind kind) {
        return newest(scope, Objects.requireNonNull(kind, "kind"));
    }

    private Optional<Checkpoint> newest(CheckpointScope scope, CheckpointKind kind) {
        ctx.checkOpen();
        return dedupe(filesOf(layout.checkpointDir(scope), scope, null, false)).stream().map(Stored::checkpoint)
                .filter(c -> kind == null || c.kind() == kind)
                .max(Orders.CHECKPOINTS_NEWEST_LAST)
                .map(FileCheckpointStorage::detached);
    }

    @Override
    public Page<CheckpointInfo> list(CheckpointFilter filter, PageRequest page) {
        CheckpointFilter f = filter == null ? CheckpointFilter.ALL : filter;
        Orders.CHECKPOINTS.position(page);
        ctx.checkOpen();
        List<CheckpointInfo> out = new ArrayList<>();
        for (Path dir : scopeDirs(f)) {
            for (Stored s : dedupe(filesOf(dir, null, null, false))) {
                CheckpointInfo info = info(s);
                if (f.matches(info)) {
                    out.add(info);
                }
            }
        }
        // Parsed files are cached (see readCached): a page re-reads only checkpoints that changed.
        return Orders.CHECKPOINTS.page(out, page);
    }

    private List<Path> scopeDirs(CheckpointFilter f) {
        if (f.scope() != null) {
            return List.of(layout.checkpointDir(f.scope()));
        }
        List<Path> dirs = new ArrayList<>();
        List<Path> repos = f.repository() != null
                ? List.of(layout.stateRoot().resolve(Ids.check("repository name", f.repository())))
                : JsonFiles.subdirectories(layout.stateRoot());
        for (Path repo : repos) {
            dirs.addAll(JsonFiles.subdirectories(repo.resolve("mapreduce").resolve("jobs")));
        }
        if (f.repository() == null) {
            dirs.addAll(JsonFiles.subdirectories(layout.workflowCheckpointsRoot()));
        }
        return dirs;
    }

    private static CheckpointInfo info(Stored s) {
        Checkpoint c = s.checkpoint;
        return new CheckpointInfo(c.id(), c.scope(), c.kind(), c.createdAt(), c.stepIndex(), s.size, c.revision());
    }

    @Override
    public boolean delete(CheckpointScope scope, String id, Fence fence) {
        Ids.check("checkpoint id", id);
        Path dir = layout.checkpointDir(scope);
        String what = "checkpoint '" + id + "' of " + scope;
        if (!Files.isDirectory(dir)) {
            ctx.checkOpen();
            fences.check(fence, what);
            return false;
        }
        return ctx.guarded(dir, "deleting " + what, () -> {
            fences.check(fence, what);
            boolean existed = false;
            for (Stored s : filesInCheckedDir(dir, scope, id, true, false)) {
                existed |= deleteFile(s.file);
            }
            if (existed) {
                AtomicFiles.fsyncDirectory(dir);
            }
            return existed;
        });
    }

    @Override
    public int prune(CheckpointScope scope, int keep, Fence fence) {
        Arguments.keep(scope, keep);
        Path dir = layout.checkpointDir(scope);
        String what = "checkpoints of " + scope;
        if (!Files.isDirectory(dir)) {
            ctx.checkOpen();
            fences.check(fence, what);
            return 0;
        }
        return ctx.guarded(dir, "pruning " + what, () -> {
            fences.check(fence, what);
            List<Stored> all = dedupe(filesInCheckedDir(dir, scope, null, false, false));
            all.sort(Comparator.comparing(Stored::checkpoint, Orders.CHECKPOINTS_NEWEST_LAST));
            int deleted = 0;
            for (int i = 0; i < all.size() - keep; i++) {
                for (Stored s : filesInCheckedDir(dir, scope, all.get(i).checkpoint.id(), true, false)) {
                    deleteFile(s.file);
                }
                deleted++;
            }
            if (deleted > 0) {
                AtomicFiles.fsyncDirectory(dir);
            }
            return deleted;
        });
    }

    /**
     * The common save, an update of a checkpoint stored in one file under the same name, with the directory listed
     * only after the new version's temp file was forced: reading a directory updates its access time (every save
     * changed the directory since the last listing, so {@code relatime} does not spare it), and when that happens
     * before the temp file's {@code fdatasync}, the sync also writes the directory's inode (the temp file is a new
     * entry of it): one synchronous write more per save (docs/perf.md, "Records at the rename floor"). Here the
     * revision is checked against the file under the expected name, the temp file is written and forced, and then the
     * listing confirms that this file is the checkpoint's only one before the rename.
     *
     * @return the stored checkpoint, or {@code null} (nothing written, the temp file removed) if this is not that
     *         case: no file under the expected name, a revision other than the presented one (a conflict or a retry),
     *         or another file of the id (a name change or a crash's leftover); the caller then saves after listing
     */
    private Checkpoint saveInPlaceOfTheOneFile(Path dir, Checkpoint checkpoint) throws IOException {
        Path file = dir.resolve(CheckpointFileNames.fileName(checkpoint));
        Checkpoint head = JsonFiles.readHeadInCheckedDir(file, Checkpoint.class, KIND).orElse(null);
        if (head == null || head.revision() != checkpoint.revision()) {
            return null;
        }
        Checkpoint stored = Revisions.checkpoint(checkpoint, head).record(); // presented == stored: a plain write
        try (AtomicFiles.Prepared prepared = AtomicFiles.prepare(file, JsonFiles.toBytes(stored))) {
            List<JsonFiles.Listed> files = listedInCheckedDir(dir, checkpoint.scope(), checkpoint.id());
            if (files.size() != 1 || !files.get(0).file().equals(file)) {
                return null;
            }
            prepared.commit();
            parsed.remove(file);
        }
        return stored;
    }

    /** Deletes a checkpoint file (not yet durably) and its cache entry; returns whether it existed. */
    private boolean deleteFile(Path file) throws IOException {
        parsed.remove(file);
        return Files.deleteIfExists(file);
    }

    /** The highest revision among {@code files}, or {@code null}. */
    private static Checkpoint newest(List<Stored> files) {
        return files.stream().map(Stored::checkpoint).max(Comparator.comparingLong(Checkpoint::revision)).orElse(null);
    }

    /**
     * The checkpoint files in {@code dir} (of {@code id} only, if given). With {@code strict}, a corrupt file of that
     * id is an error; otherwise corrupt files are skipped with a warning.
     */
    private List<Stored> filesOf(Path dir, CheckpointScope scope, String id, boolean strict) {
        NoLinks.check(dir);
        return filesInCheckedDir(dir, scope, id, strict, false);
    }

    /**
     * {@link #filesOf} for a directory checked a moment ago (inside {@link StoreContext#guarded} on it). With
     * {@code head}, a file not in the cache is read without its state ({@link JsonFiles#readHeadListed}) and not
     * cached: enough for a revision check, not for returning.
     */
    private List<Stored> filesInCheckedDir(Path dir, CheckpointScope scope, String id, boolean strict,
            boolean head) {
        List<Stored> out = new ArrayList<>();
        long listedAt = System.currentTimeMillis(); // before every lstat of the listing
        for (JsonFiles.Listed listed : listedInCheckedDir(dir, scope, id)) {
            readCached(listed, listedAt, strict, head)
                    .ifPresent(cp -> out.add(new Stored(listed.file(), listed.attributes().size(), cp)));
        }
        return out;
    }

    /** The checkpoint files in {@code dir} (of {@code id} only, if given), as listed: nothing read. */
    private List<JsonFiles.Listed> listedInCheckedDir(Path dir, CheckpointScope scope, String id) {
        boolean jobScope = scope == null ? isJobDir(dir) : scope.isJob();
        List<JsonFiles.Listed> out = new ArrayList<>();
        for (JsonFiles.Listed listed : JsonFiles.listInCheckedDir(dir, ".json")) {
            Optional<String> fileId = CheckpointFileNames.idOf(listed.file().getFileName().toString(), jobScope);
            if (fileId.isPresent() && (id == null || id.equals(fileId.get()))) {
                out.add(listed);
            }
        }
        return out;
    }

    /**
     * The listed file's checkpoint: parsed again only if its inode, size or modification time changed, and kept only
     * if that time had settled when the listing began ({@code listedAt}).
     */
    private Optional<Checkpoint> readCached(JsonFiles.Listed listed, long listedAt, boolean strict, boolean head) {
        Path file = listed.file();
        BasicFileAttributes attrs = listed.attributes(); // from the listing's lstat: no second stat
        Parsed p = parsed.get(file);
        if (p != null && Objects.equals(p.fileKey, attrs.fileKey()) && p.size == attrs.size()
                && p.modified.equals(attrs.lastModifiedTime())) {
            return Optional.of(p.checkpoint);
        }
        if (head) {
            return JsonFiles.readHeadListed(listed, Checkpoint.class, KIND); // strict: the save path
        }
        Optional<Checkpoint> c = strict ? JsonFiles.readListed(listed, Checkpoint.class, KIND)
                : JsonFiles.readListedOrSkip(listed, Checkpoint.class, KIND);
        if (c.isEmpty() || attrs.fileKey() == null) {
            return c;
        }
        if (!FileTimes.isSettled(attrs.lastModifiedTime(), listedAt)) {
            parsed.remove(file); // an entry of an older version: it can no longer match, so it only takes room
            return c;
        }
        if (parsed.size() > MAX_CACHED) {
            parsed.clear();
        }
        parsed.put(file, new Parsed(attrs.fileKey(), attrs.size(), attrs.lastModifiedTime(), c.get()));
        return c;
    }

    /** A copy whose state tree the caller may change without touching the cache. */
    private static Checkpoint detached(Checkpoint c) {
        return c.withState(c.state().deepCopy()).withWriteId(c.writeId());
    }

    private boolean isJobDir(Path dir) {
        return dir.startsWith(layout.stateRoot());
    }

    /** One entry per checkpoint id: the highest revision (a crash may leave an old file behind). */
    private static List<Stored> dedupe(List<Stored> files) {
        Map<String, Stored> byId = new HashMap<>();
        for (Stored s : files) {
            byId.merge(s.checkpoint.id(), s,
                    (a, b) -> a.checkpoint.revision() >= b.checkpoint.revision() ? a : b);
        }
        return new ArrayList<>(byId.values());
    }
}
