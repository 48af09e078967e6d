package io.prodigy.storage.file.event;

import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.FileModes;
import io.prodigy.storage.lock.Fence;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Removes events from a job's log (purge, retention) and deletes whole logs. Runs inside
 * {@link JobLog#exclusive}, so no append or other rewrite of the job runs meanwhile, in any process.
 *
 * <p>Crash safety: removed events are first archived (if asked) and forced; then each affected segment is either
 * deleted or replaced by a filtered copy through temp file + rename. The sequence floor survives: the newest segment
 * is never deleted, only emptied, because its name records the highest sequence ever assigned; a whole-log delete
 * keeps it too, as the job's durable high-water marker (an empty file), so sequences are never reused.
 *
 * <p>Fences are checked inside {@link JobLog#exclusive}, so the check is atomic with the rewrite.
 */
final class JobRewriter {

    /** What a removal did (or, for a dry run, would do). */
    record Result(long removed, long archived, long bytesBefore, long bytesAfter, Path archiveFile) {
        static final Result NOTHING = new Result(0, 0, 0, 0, null);
    }

    private record Plan(SegmentFile seg, SegmentIndex idx, Removal.Decision decision, long ordinalStart) {}

    private JobRewriter() {}

    private static String what(JobLog log) {
        return "event log of job " + log.job;
    }

    static long deleteAll(JobLog log, Fence fence) throws IOException {
        if (!Files.isDirectory(log.dir)) {
            log.ctx.fences.check(fence, what(log));
            return 0;
        }
        return log.exclusive(() -> {
            log.ctx.fences.check(fence, what(log));
            log.sealActiveForRewrite(); // its sealed name then carries the high-water mark
            log.dropActive();
            Segments segs = Segments.scan(log.dir);
            segs.checkWritable();
            long count = 0;
            for (SegmentFile s : segs.live()) {
                try {
                    count += log.ctx.indexes.indexOf(s).eventCount();
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
            SegmentFile keeper = segs.live().isEmpty() ? null : segs.live().get(segs.live().size() - 1);
            List<SegmentFile> all = new ArrayList<>(segs.live());
            all.addAll(segs.redundant());
            for (SegmentFile s : all) {
                if (!s.equals(keeper)) {
                    forget(log, s);
                    Files.deleteIfExists(s.path());
                }
            }
            for (Path p : indexFiles(log.dir)) {
                Files.deleteIfExists(p);
            }
            if (keeper != null) {
                removeWhole(log, keeper, true); // emptied: its name keeps the high-water mark
            }
            for (Path p : Segments.tempFiles(log.dir)) {
                Files.deleteIfExists(p);
            }
            AtomicFiles.fsyncDirectory(log.dir);
            return count;
        });
    }

    /**
     * @param archiveDir where removed events go first, or {@code null} to drop them
     */
    static Result remove(JobLog log, Removal removal, Path archiveDir, boolean compressArchive, boolean dryRun,
            Instant now, Fence fence) throws IOException {
        if (!Files.isDirectory(log.dir)) {
            log.ctx.fences.check(fence, what(log));
            return Result.NOTHING;
        }
        return log.exclusive(() -> {
            log.ctx.fences.check(fence, what(log));
            if (!dryRun) {
                log.sealActiveForRewrite();
            }
            Segments segs = Segments.scan(log.dir);
            segs.checkWritable();
            List<Plan> plans = new ArrayList<>();
            long ordinal = 0;
            long bytesBefore = 0;
            for (SegmentFile s : segs.live()) {
                if (s.isActive() && !dryRun) {
                    continue; // empty after sealActiveForRewrite; its name keeps the sequence floor
                }
                SegmentIndex idx = log.ctx.indexes.indexOf(s);
                plans.add(new Plan(s, idx, removal.classify(idx, ordinal), ordinal));
                ordinal += idx.eventCount();
                bytesBefore += idx.segmentBytes();
            }
            long removable = 0;
            for (Plan p : plans) {
                removable += switch (p.decision) {
                    case NONE -> 0;
                    case ALL -> p.idx.eventCount();
                    case SCAN -> countRemoved(p, removal);
                };
            }
            if (dryRun || removable == 0) {
                return new Result(removable, archiveDir != null ? removable : 0, bytesBefore, bytesBefore, null);
            }
            Path archiveFile = null;
            if (archiveDir != null) {
                archiveFile = archive(plans, removal, archiveDir, compressArchive, now);
            }
            SegmentFile keeper = segs.active().isPresent() ? null : segs.live().get(segs.live().size() - 1);
            long bytesAfter = 0;
            for (Plan p : plans) {
                switch (p.decision) {
                    case NONE -> bytesAfter += p.idx.segmentBytes();
                    case ALL -> removeWhole(log, p.seg, p.seg.equals(keeper));
                    case SCAN -> bytesAfter += rewrite(log, p, removal, p.seg.equals(keeper));
                }
            }
            AtomicFiles.fsyncDirectory(log.dir);
            return new Result(removable, archiveFile != null ? removable : 0, bytesBefore, bytesAfter, archiveFile);
        });
    }

    private static long countRemoved(Plan p, Removal removal) throws IOException {
        long n = 0;
        long ordinal = p.ordinalStart;
        try (SegmentReader r = SegmentReader.open(p.seg.path())) {
            EventLine e;
            while ((e = r.next()) != null) {
                if (removal.removes(e, ordinal++)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static Path archive(List<Plan> plans, Removal removal, Path archiveDir, boolean gzip, Instant now)
            throws IOException {
        FileModes.ensureDirectory(archiveDir);
        String name = "events_archive_" + SegmentFile.TS.format(now) + "-" + UUID.randomUUID().toString()
                .substring(0, 8) + (gzip ? ".jsonl.gz" : ".jsonl");
        Path target = archiveDir.resolve(name);
        Path tmp = AtomicFiles.tempFileFor(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), FileModes.fileAttributes())) {
                try (OutputStream out = open(ch, gzip)) {
                    for (Plan p : plans) {
                        if (p.decision == Removal.Decision.NONE) {
                            continue;
                        }
                        long ordinal = p.ordinalStart;
                        try (SegmentReader r = SegmentReader.open(p.seg.path())) {
                            EventLine e;
                            while ((e = r.next()) != null) {
                                if (p.decision == Removal.Decision.ALL || removal.removes(e, ordinal)) {
                                    out.write(EventCodec.line(e));
                                }
                                ordinal++;
                            }
                        }
                    }
                }
                ch.force(true);
            }
            AtomicFiles.moveAtomically(tmp, target);
            AtomicFiles.fsyncDirectory(archiveDir);
            return target;
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
    }

    /** Rewrites a segment without the removed events; returns its new size. */
    private static long rewrite(JobLog log, Plan p, Removal removal, boolean keeper) throws IOException {
        Path tmp = AtomicFiles.tempFileFor(p.seg.path());
        SegmentIndex.Builder idx = new SegmentIndex.Builder();
        long kept = 0;
        try {
            try (SegmentReader r = SegmentReader.open(p.seg.path());
                    FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE), FileModes.fileAttributes())) {
                try (OutputStream out = open(ch, r.compressed())) {
                    long ordinal = p.ordinalStart;
                    long written = 0;
                    EventLine e;
                    while ((e = r.next()) != null) {
                        if (!removal.removes(e, ordinal++)) {
                            byte[] line = EventCodec.line(e);
                            out.write(line);
                            written += line.length;
                            idx.add(e.sequence(), e.timestamp(), e.eventType());
                            idx.committed(written); // rewritten lines stand alone (no batch_more)
                            kept++;
                        }
                    }
                }
                ch.force(true);
            }
            if (kept == 0) {
                Files.delete(tmp);
                removeWhole(log, p.seg, keeper);
                return 0;
            }
            forget(log, p.seg);
            AtomicFiles.moveAtomically(tmp, p.seg.path());
            long size = Files.size(p.seg.path());
            SegmentIndexes.writeIndexFile(p.seg, idx.build(size));
            return size;
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw e;
        }
    }

    /** Deletes a segment, or empties it if it is the newest (its name keeps the sequence floor). */
    private static void removeWhole(JobLog log, SegmentFile seg, boolean keeper) throws IOException {
        forget(log, seg);
        if (!keeper) {
            Files.deleteIfExists(seg.path());
            Files.deleteIfExists(seg.indexPath());
            return;
        }
        SegmentFile plain = seg.isActive() ? seg
                : seg.withPath(seg.path().resolveSibling(SegmentFile.sealedName(seg.timestamp(),
                        seg.firstSequence(), seg.lastSequence(), false)), seg.lastSequence(), false);
        AtomicFiles.write(plain.path(), new byte[0]);
        if (!plain.path().equals(seg.path())) {
            Files.deleteIfExists(seg.path());
        }
        if (!plain.isActive()) {
            SegmentIndexes.writeIndexFile(plain, new SegmentIndex.Builder().build(0));
        }
    }

    private static OutputStream open(FileChannel ch, boolean gzip) throws IOException {
        OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024) {
            @Override
            public void close() throws IOException {
                flush(); // the channel is forced and closed by the caller
            }
        };
        return gzip ? new GZIPOutputStream(raw, 64 * 1024) : raw;
    }

    private static void forget(JobLog log, SegmentFile s) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(s.path(), BasicFileAttributes.class);
            log.ctx.indexes.forget(SegmentIndexes.keyOf(attrs, s));
        } catch (IOException ignored) {
            // gone already
        }
    }

    private static List<Path> indexFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(dir, "events-*.index.json")) {
            stream.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }
}
