package io.prodigy.storage.file.event;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.AppendResult;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.FileModes;
import io.prodigy.storage.file.io.GuardFiles;
import io.prodigy.storage.file.io.IoErrors;
import io.prodigy.storage.file.layout.StorageLayout;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.lock.Fence;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The event log of one job: appends with group commit, recovery, rotation.
 *
 * <p><b>Append protocol.</b> Each appender serializes its events, queues them and tries the job's commit lock. The
 * thread that gets it (the leader) drains every queued batch, takes the job's guard (JVM-wide lock plus
 * {@link FileChannel#lock()} on {@code .guard}, so other processes wait), validates its cached view of the active
 * segment ({@link #ensureActive}: a {@code stat} of the job directory and a one-byte read at the data end; otherwise
 * it re-reads the tail, repairing a torn one), assigns
 * sequences from the last committed one, writes all batches with one positional write, forces once, completes
 * every batch and, on releasing the lock, wakes all waiting appenders at once (they wait on a condition, not on the
 * lock): those it covered return, one of the rest leads the next group. So concurrent appenders in one process share
 * an fsync, and sequences stay gap-free across processes.
 *
 * <p><b>Atomic visibility.</b> Every line of one write but the last carries {@code batch_more}; readers only accept
 * lines up to one without it, so a write is visible whole or not at all, before and after a crash.
 *
 * <p><b>Batch size.</b> A batch of several events larger than {@code max_file_size} is refused (nothing is written):
 * a batch is one write into one segment, so a segment exceeds {@code max_file_size} only by its last group, and only
 * a single event larger than the limit makes a segment that large.
 *
 * <p><b>Idempotency and fencing.</b> Under the guard, before numbering, the leader checks each batch's fence (a
 * batch with a stale one fails alone; nothing of it is written) and drops every event whose id is among the ids of
 * the job's last {@link RecentIds#WINDOW} sequences or earlier in the group ({@link RecentIds}, confirmed against
 * the stored id before an event is dropped). The window is kept current by the writes of this process, caught up
 * from the log when another process appended, and rebuilt from the log whenever the view of the active segment is
 * rebuilt (first append, another process's rotation or rewrite, this process's purge or delete).
 *
 * <p><b>Rotation.</b> When a write would take the active segment past {@code max_file_size}, the segment is sealed:
 * renamed to its sealed name (which includes its last sequence; the rename makes every other writer's cached view
 * invalid), its index written, and optionally compressed in the background. The next write creates a new active
 * segment, from a {@link SpareSegment} when the background thread has made one (zeros written and synced ahead, off
 * the append path), else as an empty file whose zero-filled tail the appends grow. There is at most one active
 * segment, holding the highest sequences.
 */
final class JobLog {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobLog.class);

    private static final int MAX_GROUP_BYTES = 8 * 1024 * 1024;

    private static final class Pending {
        final EventCodec.EncodedBatch events;
        final Fence fence;
        final long bytes;
        volatile boolean done;
        AppendResult result;
        RuntimeException error;
        /** The events to write once those already stored are dropped (set by the leader). */
        EventCodec.EncodedBatch toWrite;
        int duplicates;
        Map<String, Long> alreadyStored = Map.of();

        Pending(EventCodec.EncodedBatch events, Fence fence) {
            this.events = events;
            this.fence = fence;
            this.bytes = events.lineBytes();
        }

        AppendResult get() {
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    final JobRef job;
    final Path dir;
    final EventLogContext ctx;
    private final GuardFiles.Handle guard;
    private final CommitLock commitLock = new CommitLock();
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final GrowableBuffer buffer = new GrowableBuffer(64 * 1024);
    private ActiveSegment active;
    private final TailCache tail;
    /** The next active segment, zero-filled ahead by the background thread (see {@link SpareSegment}). */
    private final SpareSegment spare;
    private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
    // The idempotency window, guarded by the commit lock: valid for windowBasis up to windowSynced.
    private final RecentIds recent = new RecentIds();
    private ActiveSegment windowBasis;
    private long windowSynced;
    // The job directory's stamp when the view of the active segment was last confirmed, and the segment it confirmed
    // (guarded by the commit lock): a segment this writer created, sealed or dropped since has no stamp.
    private DirectoryStamp stamp;
    private SegmentFile stampFor;
    private long segmentChecks; // guarded by the commit lock

    JobLog(JobRef job, Path dir, EventLogContext ctx) {
        this.job = job;
        this.dir = dir;
        this.ctx = ctx;
        this.guard = GuardFiles.handle(StorageLayout.guardOf(dir));
        this.tail = new TailCache(job, dir);
        this.spare = new SpareSegment(job, dir, ctx.maxFileSize);
    }

    // ---------------------------------------------------------------------------------------------- appending

    AppendResult append(List<NewEvent> events, Fence fence) {
        ctx.store.checkOpen();
        if (events == null || events.isEmpty()) {
            throw new InvalidInputException("Cannot append an empty batch to the event log of job " + job
                    + ": pass at least one event.");
        }
        Instant now = ctx.store.now();
        for (NewEvent e : events) {
            if (e == null) {
                throw new InvalidInputException("The batch for job " + job + " contains a null event.");
            }
        }
        // The encoded batch reads its events' fields until it is written: it needs a list nobody changes meanwhile
        // (the store passes its own immutable copy, which copyOf returns as it is).
        EventCodec.EncodedBatch encoded = EventCodec.encodeAll(List.copyOf(events), now);
        if (encoded.size() > 1 && encoded.lineBytes() > ctx.maxFileSize) {
            // A batch is one atomic write into one segment; a batch larger than a segment would make the segment
            // grow far past max_file_size (a single event that large simply gets a segment of its own).
            throw new InvalidInputException("The batch of " + encoded.size() + " events for job " + job + " takes "
                    + encoded.lineBytes() + " bytes, more than storage.backend_config.max_file_size ("
                    + ctx.maxFileSize + " bytes): a batch is written whole into one segment. Append it in smaller"
                    + " batches, or raise max_file_size. Nothing was appended.");
        }
        Pending p = new Pending(encoded, fence);
        queue.add(p);
        while (!p.done) {
            long seen = commitLock.releases(); // before tryLock: a release after this read ends the wait below
            if (commitLock.tryLock()) {
                try {
                    if (!p.done) {
                        commitQueued(); // may not reach p if the group hits its size limit: then loop and lead again
                    }
                } finally {
                    commitLock.unlock();
                }
            } else {
                commitLock.awaitRelease(() -> p.done, seen);
            }
        }
        return p.get();
    }

    /** Leader: writes every queued batch with one write and one force. Holds the commit lock. */
    @SuppressWarnings("try") // the guard is held for the write's duration
    private void commitQueued() {
        List<Pending> group = new ArrayList<>();
        long groupBytes = 0;
        Pending q;
        while (groupBytes < MAX_GROUP_BYTES && (q = queue.poll()) != null) {
            group.add(q);
            groupBytes += q.bytes;
        }
        if (group.isEmpty()) {
            return;
        }
        ActiveSegment a = null;
        try {
            if (active == null || active.seg == null) {
                ensureDirectory(); // steady state skips this stat: the directory holds the open segment
            }
            try (GuardFiles.Guard g = guard.acquire(ctx.store.osLocks(), true)) {
                a = ensureActive();
                group = admitted(group);
                if (group.isEmpty()) {
                    return;
                }
                syncWindow(a);
                dropStored(a, group);
                writeGroup(a, group);
            }
        } catch (IOException e) {
            windowBasis = null; // it may hold ids of the failed write: rebuild it from the log
            fail(group, IoErrors.translate("appending events of job " + job + " to", segmentPath(a), e));
            return;
        } catch (RuntimeException | Error e) {
            windowBasis = null;
            fail(group, e instanceof RuntimeException re ? re : new IllegalStateException(e));
            if (e instanceof Error err) {
                throw err;
            }
            return;
        }
        ctx.notifier.signal();
    }

    /**
     * The batches of the group whose fence passes (holding the guard, so the check is atomic with the write); the
     * others fail with the {@link io.prodigy.storage.error.FencingException} and are not written.
     */
    private List<Pending> admitted(List<Pending> group) {
        List<Pending> admitted = group;
        for (int i = 0; i < group.size(); i++) {
            Pending p = group.get(i);
            if (p.fence == null || p.fence.isNone()) {
                if (admitted != group) {
                    admitted.add(p);
                }
                continue;
            }
            try {
                ctx.fences.check(p.fence, "event log of job " + job);
                if (admitted != group) {
                    admitted.add(p);
                }
            } catch (RuntimeException e) {
                if (admitted == group) {
                    admitted = new ArrayList<>(group.subList(0, i));
                }
                p.error = e;
                p.done = true;
            }
        }
        return admitted;
    }

    /** Brings the idempotency window up to the committed end of {@code a} (holding the commit lock and guard). */
    private void syncWindow(ActiveSegment a) throws IOException {
        if (windowBasis != a) {
            recent.clear();
            windowSynced = Math.max(0, a.lastSeq - RecentIds.WINDOW);
        }
        if (a.lastSeq > windowSynced) {
            long from = Math.max(windowSynced, a.lastSeq - RecentIds.WINDOW);
            try (EventQuery q = new EventQuery(this, EventFilter.forJob(job).withAfterSequence(from))) {
                while (q.hasNext()) {
                    EventRecord e = q.next();
                    if (e.sequence() > a.lastSeq) {
                        break;
                    }
                    recent.add(RecentIds.hash(e.id()), e.sequence());
                }
            }
        }
        windowBasis = a;
        windowSynced = a.lastSeq;
    }

    /**
     * Drops from each batch the events whose id the job already holds (in the window) or an earlier event of the
     * group carries, and records where they are. Adds the group's new events to the window at the sequences the
     * write will give them; if the write fails, the window is rebuilt.
     */
    private void dropStored(ActiveSegment a, List<Pending> group) {
        Map<Long, String> storedIds = storedIdsOfCandidates(a, group);
        long base = a.lastSeq + 1;
        int events = 0;
        for (Pending p : group) {
            events += p.events.size();
        }
        List<String> groupIds = new ArrayList<>(events);
        for (Pending p : group) {
            EventCodec.EncodedBatch b = p.events;
            boolean[] keep = null;
            int firstOfMine = groupIds.size();
            for (int j = 0; j < b.size(); j++) {
                long hash = b.idHashes()[j];
                long at = recent.candidateOrAdd(hash, base + groupIds.size()); // usually: none, so added
                if (at > 0) {
                    String storedId = at < base ? storedIds.get(at) : groupIds.get((int) (at - base));
                    if (!b.id(j).equals(storedId)) {
                        at = 0; // a hash collision: a new event
                        recent.add(hash, base + groupIds.size());
                    }
                }
                if (at == 0) {
                    groupIds.add(b.id(j));
                    continue;
                }
                if (keep == null) {
                    keep = new boolean[b.size()];
                    java.util.Arrays.fill(keep, true);
                    p.alreadyStored = new LinkedHashMap<>();
                }
                keep[j] = false;
                p.duplicates++;
                if (at < base + firstOfMine) {
                    p.alreadyStored.putIfAbsent(b.id(j), at); // stored before this batch
                }
            }
            p.toWrite = keep == null ? b : b.select(keep);
        }
        windowSynced = base - 1 + groupIds.size();
    }

    /** The stored ids at the sequences the window offers as candidates for the group's events (usually none). */
    private Map<Long, String> storedIdsOfCandidates(ActiveSegment a, List<Pending> group) {
        long min = Long.MAX_VALUE;
        long max = 0;
        Set<Long> wanted = null;
        for (Pending p : group) {
            for (long hash : p.events.idHashes()) {
                long at = recent.candidate(hash);
                if (at > 0) {
                    wanted = wanted == null ? new HashSet<>() : wanted;
                    wanted.add(at);
                    min = Math.min(min, at);
                    max = Math.max(max, at);
                }
            }
        }
        if (wanted == null) {
            return Map.of();
        }
        Map<Long, String> ids = new HashMap<>();
        try (EventQuery q = new EventQuery(this, EventFilter.forJob(job).withAfterSequence(min - 1))) {
            while (q.hasNext()) {
                EventRecord e = q.next();
                if (e.sequence() > max) {
                    break;
                }
                if (wanted.contains(e.sequence())) {
                    ids.put(e.sequence(), e.id());
                }
            }
        }
        return ids;
    }

    /** Numbers, writes and forces one group (holding the guard); on failure undoes the partial write first. */
    private void writeGroup(ActiveSegment a, List<Pending> group) throws IOException {
        List<Pending> writing = new ArrayList<>(group.size());
        for (Pending p : group) {
            if (p.toWrite.size() > 0) {
                writing.add(p);
            }
        }
        if (writing.isEmpty()) {
            complete(group, a.lastSeq + 1, a.lastSeq); // every event was already stored: nothing to write
            return;
        }
        buffer.clear();
        long seq = a.lastSeq;
        List<EventCodec.EncodedBatch> all = new ArrayList<>(writing.size());
        for (int i = 0; i < writing.size(); i++) {
            EventCodec.EncodedBatch evs = writing.get(i).toWrite;
            for (int j = 0; j < evs.size(); j++) {
                boolean last = i == writing.size() - 1 && j == evs.size() - 1;
                EventCodec.writeLine(buffer, ++seq, !last, evs, j);
            }
            all.add(evs);
        }
        if (a.seg != null && a.size > 0 && a.size + buffer.size() > ctx.maxFileSize) {
            seal(a);
        }
        if (a.seg == null) {
            createSegment(a, a.lastSeq + 1);
        }
        long oldEnd = a.size;
        long newEnd = oldEnd + buffer.size();
        try {
            AtomicFiles.writeFully(a.ch, buffer.asByteBuffer(), oldEnd);
            if (newEnd > a.allocated) {
                preallocate(a, newEnd);
            }
            a.ch.force(false);
        } catch (IOException | RuntimeException | Error e) {
            rollback(a, oldEnd);
            throw e;
        }
        commits.incrementAndGet();
        long first = a.lastSeq + 1;
        a.size = newEnd;
        a.lastSeq = seq;
        if (newEnd > ctx.maxFileSize / 2) {
            spare.request(ctx.background); // the next segment, zero-filled before this one is full
        }
        ctx.indexes.appended(a.key, oldEnd, a.size, seq, all, first);
        tail.committed(a.seg, a.key, a.allocated, a.size, a.lastSeq);
        complete(group, first, a.lastSeq);
    }

    /**
     * Grows the zero-filled tail past {@code newEnd} (holding the guard, before the write's force, which then covers
     * it), so the next syncs only overwrite allocated blocks. A full disk is not the append's failure: the zeros are
     * cut again and this segment is not preallocated any further; the append goes on as a plain one.
     */
    private void preallocate(ActiveSegment a, long newEnd) throws IOException {
        a.allocated = newEnd; // the data itself now ends there
        if (a.preallocationFailed) {
            return;
        }
        long target = Math.max(newEnd, Math.min(newEnd + SegmentEnd.chunk(ctx.maxFileSize), ctx.maxFileSize));
        try {
            SegmentEnd.zeroFill(a.ch, newEnd, target);
            a.allocated = target;
        } catch (IOException e) {
            a.preallocationFailed = true;
            a.ch.truncate(newEnd);
            LOG.debug("Not preallocating the active event segment of job {} any further: {}", job, e.toString());
        }
    }

    /** Completes the group's appends: the written ones from {@code first} on, in group order. */
    private void complete(List<Pending> group, long first, long last) {
        long next = first;
        for (Pending p : group) {
            int n = p.toWrite.size();
            p.result = n == 0 ? new AppendResult(job, 0, last, 0, p.duplicates, p.alreadyStored)
                    : new AppendResult(job, next, next + n - 1, n, p.duplicates, p.alreadyStored);
            next += n;
            p.done = true;
        }
    }

    private Path segmentPath(ActiveSegment a) {
        return a != null && a.seg != null ? a.seg.path() : dir;
    }

    private static void fail(List<Pending> group, RuntimeException error) {
        for (Pending p : group) {
            if (!p.done) { // a batch refused by its fence is done already
                p.error = error;
                p.done = true;
            }
        }
    }

    /**
     * Undoes a partial write so that a failed append stores nothing (holding the guard): truncates back to the
     * committed end, then seals the segment (or deletes it if it holds nothing) so that the next write goes to a new
     * file and never lands where a reader may have seen the failed bytes. If that fails too, the unfinished write
     * still lacks its final line, so it is not committed, and the next writer's recovery removes it.
     */
    private void rollback(ActiveSegment a, long committedEnd) {
        try {
            a.ch.truncate(committedEnd);
            a.ch.force(false);
            a.ch.close();
            if (committedEnd == 0) {
                Files.deleteIfExists(a.seg.path());
            } else {
                AtomicFiles.moveAtomically(a.seg.path(), a.seg.sealedPath(a.lastSeq));
            }
            AtomicFiles.fsyncDirectory(dir);
        } catch (IOException | RuntimeException ignored) {
            // see above: recovery takes over
        }
        dropActive(); // re-validate from disk next time
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            FileModes.ensureDirectory(dir);
        }
    }

    /** How many group commits (writes with one force each) this log made; for tests of group commit. */
    long commits() {
        return commits.get();
    }

    /**
     * How often the view of the active segment was checked against the segment itself rather than confirmed by the
     * directory's stamp and the byte at its end; for tests of that validation.
     */
    long segmentChecks() {
        commitLock.lock();
        try {
            return segmentChecks;
        } finally {
            commitLock.unlock();
        }
    }

    /** Batches waiting for a leader; for tests of group commit. */
    int queued() {
        return queue.size();
    }

    /** Runs {@code body} holding the commit lock, so appenders queue up meanwhile; for tests of group commit. */
    void holdingCommitLock(Runnable body) {
        commitLock.lock();
        try {
            body.run();
        } finally {
            commitLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- recovery

    /**
     * Validates (or rebuilds) the view of the active segment. Holds the commit lock and the guard.
     *
     * <p>The usual case costs a {@code stat} of the job directory and a one-byte read: the directory still carries the
     * {@link DirectoryStamp} taken when the view was last confirmed (so the segment was not sealed, replaced or
     * deleted: every such change renames, creates or removes an entry), and the byte at the view's committed end is
     * still NUL or past the end of the file (so nobody appended: another writer appends exactly there, after
     * validating its own view; a torn write of a crashed one starts there too). A shorter file than the view expects
     * (another process trimmed the zero-filled tail on closing, without appending) needs nothing: the data ends where
     * the view says, and the next write extends the file. Otherwise the segment itself is examined, as before.
     */
    ActiveSegment ensureActive() throws IOException {
        if (active != null && active.seg != null && stampFor == active.seg && stamp.stillHolds(dir)
                && SegmentEnd.isNul(active.ch, active.size)) {
            return active;
        }
        stampFor = null;
        segmentChecks++;
        if (active != null && active.seg != null) {
            BasicFileAttributes attrs = null;
            try {
                attrs = Files.readAttributes(active.seg.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                dropActive(); // sealed, compressed, purged or deleted by another writer
            }
            if (attrs != null) {
                if (!SegmentIndexes.keyOf(attrs, active.seg).equals(active.key)) {
                    dropActive(); // replaced by a rewrite
                } else if (attrs.size() != active.allocated
                        || active.allocated > active.size && !SegmentEnd.isNul(active.ch, active.size)) {
                    // Another process appended (into the preallocated tail, or growing the file), trimmed the tail
                    // on closing, or left a torn write.
                    Recovery.refreshTail(job, active, attrs.size(), ctx.store.now());
                }
            }
        } else {
            dropActive(); // another process may have created the active segment since
        }
        if (active == null) {
            active = Recovery.recover(job, dir, ctx.store.now());
        }
        if (active.seg != null) {
            // Taken after the segment was confirmed: a change after this point, by anyone, changes the stamp.
            stamp = DirectoryStamp.of(dir);
            stampFor = active.seg;
        }
        return active;
    }

    private void createSegment(ActiveSegment a, long first) throws IOException {
        Path path = dir.resolve(SegmentFile.activeName(ctx.store.now(), first));
        FileChannel ch = spare.takeAs(path);
        boolean fromSpare = ch != null;
        if (ch == null) {
            ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), FileModes.fileAttributes());
        }
        try {
            AtomicFiles.fsyncDirectory(dir);
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            SegmentFile seg = SegmentFile.parse(path).orElseThrow();
            a.seg = seg;
            a.ch = ch;
            a.key = SegmentIndexes.keyOf(attrs, seg);
            a.size = 0;
            a.allocated = fromSpare ? attrs.size() : 0; // a spare is zeros from its first byte to its end
            a.preallocationFailed = false;
            a.lastSeq = first - 1;
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Seals the active segment (holding the commit lock and the guard); afterwards there is no active segment. */
    void seal(ActiveSegment a) throws IOException {
        SegmentIndex idx = ctx.indexes.scan(a.seg.path(), a.key, a.size);
        if (a.allocated > a.size) {
            // Sealed segments are plain JSON lines: cut the zero-filled tail, durably, before the sealed name says so.
            a.ch.truncate(a.size);
            a.ch.force(true);
        }
        Path sealedPath = a.seg.sealedPath(a.lastSeq);
        AtomicFiles.moveAtomically(a.seg.path(), sealedPath);
        AtomicFiles.fsyncDirectory(dir);
        Files.deleteIfExists(a.seg.indexPath()); // the active segment's index, if a store closed it earlier
        SegmentFile sealed = a.seg.withPath(sealedPath, a.lastSeq, false);
        SegmentIndexes.writeIndexFile(sealed, idx.withSegmentBytes(a.size));
        a.detach();
        if (ctx.compress) {
            ctx.background.execute(() -> SegmentCompressor.compress(this, sealed));
        }
    }

    void dropActive() {
        if (active != null) {
            active.closeQuietly();
            active = null;
        }
    }

    // ---------------------------------------------------------------------------------------------- exclusive ops

    /** Work that needs the job exclusively (purge, retention, delete, compression): commit lock and guard held. */
    interface ExclusiveWork<T> {
        T run() throws IOException;
    }

    @SuppressWarnings("try")
    <T> T exclusive(ExclusiveWork<T> work) throws IOException {
        commitLock.lock();
        try {
            ensureDirectory();
            try (GuardFiles.Guard g = guard.acquire(ctx.store.osLocks(), true)) {
                T result = work.run();
                tail.invalidate();
                return result;
            } finally {
                dropActive();
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** Within {@link #exclusive}: seals the active segment if it holds events, so that rewrites only see sealed ones. */
    void sealActiveForRewrite() throws IOException {
        ActiveSegment a = ensureActive();
        if (a.seg != null && a.size > 0) {
            seal(a);
        }
    }

    /** Runs with the guard only (no commit lock): for background work that does not touch the active segment. */
    @SuppressWarnings("try")
    <T> T guardedOnly(ExclusiveWork<T> work) throws IOException {
        try (GuardFiles.Guard g = guard.acquire(ctx.store.osLocks(), true)) {
            return work.run();
        }
    }

    /**
     * Closes the active segment's descriptor (store close or idle eviction), trimming its zero-filled tail first; it is
     * reopened (and preallocated again) when needed.
     */
    boolean closeIfIdle() {
        if (!commitLock.tryLock()) {
            return false;
        }
        try {
            spare.discard();
            trimPreallocation();
            dropActive();
            guard.closeIfIdle();
            return true;
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * Cuts the active segment's zero-filled tail (holding the commit lock), so that a closed store leaves files that
     * end with their data. Not forced: a tail that survives a crash is read as the end of the data all the same. A
     * failure leaves the tail in place, which is harmless for the same reason.
     */
    @SuppressWarnings("try") // the guard is held for the truncation
    private void trimPreallocation() {
        if (active == null || active.seg == null || active.allocated <= active.size) {
            return;
        }
        try (GuardFiles.Guard g = guard.acquire(ctx.store.osLocks(), true)) {
            ActiveSegment a = ensureActive();
            if (a.seg != null && a.allocated > a.size) {
                a.ch.truncate(a.size);
                a.allocated = a.size;
            }
            if (a.seg != null && a.size > 0) {
                // The active segment's index so far, with its time index: the next process's time-range queries
                // read only the matching blocks of it and everything after it.
                SegmentIndexes.writeIndexFile(a.seg, ctx.indexes.scan(a.seg.path(), a.key, a.size));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not trim the preallocated tail of the active event segment of job {}: {}", job,
                    e.toString());
        }
    }

    /** Whether the next segment's spare is made and synced (for tests). */
    boolean spareReady() {
        return spare.isReady();
    }

    /** The highest committed sequence, without taking any lock. */
    long lastSequence() {
        return tail.lastSequence();
    }
}
