package io.prodigy.storage.bench.append;

import io.prodigy.storage.bench.baseline.GroupCommitLog;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.bench.support.ExtraMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The physical limit: {@link GroupCommitLog} appending pre-serialized event lines (the same bytes the backend
 * stores) to one file, threads sharing fsyncs. Each thread's batch is serialized once, up front, into a direct
 * buffer: the baseline pays for the write and the fsync and nothing else. Two of them: {@code raw} appends (each
 * fdatasync also writes the file's new size) and {@code rawPrealloc} overwrites a file zero-filled to
 * {@value #PREALLOCATED_BYTES} bytes before the trial (an fdatasync writes data blocks only): the disk's real limit.
 */
final class RawFileTarget implements AppendTarget {

    static final long PREALLOCATED_BYTES = 256L * 1024 * 1024;

    private final Path dir;
    private final GroupCommitLog log;
    private final boolean preallocated;
    private volatile int batchBytes;
    private volatile int batchEvents;

    private RawFileTarget(Path dir, GroupCommitLog log, boolean preallocated) {
        this.dir = dir;
        this.log = log;
        this.preallocated = preallocated;
    }

    static RawFileTarget open(boolean preallocated) throws IOException {
        Path dir = BenchDirs.newScratchDir(preallocated ? "append-raw-prealloc" : "append-raw");
        try {
            Path file = dir.resolve("events.jsonl");
            return new RawFileTarget(dir, preallocated ? GroupCommitLog.openPreallocated(file, PREALLOCATED_BYTES)
                    : GroupCommitLog.open(file), preallocated);
        } catch (IOException | RuntimeException e) {
            BenchDirs.deleteRecursively(dir);
            throw e;
        }
    }

    @Override
    public Appender appender(int threadIndex, int batch) {
        ByteBuffer lines = EventFixtures.rawBatch(new EventFactory(AppendTarget.tag(threadIndex)), batch);
        batchBytes = lines.remaining(); // every thread's batch has the same size: same fields, fixed-width ids
        batchEvents = batch;
        return () -> {
            log.append(lines);
            return batch;
        };
    }

    @Override
    public void verify(long acknowledged) throws IOException {
        // A preallocated file is longer than its data: count what the log wrote.
        long size = preallocated ? log.bytesWritten() : Files.size(dir.resolve("events.jsonl"));
        long expected = batchEvents == 0 ? 0 : acknowledged / batchEvents * batchBytes;
        if (size != expected) {
            throw new IllegalStateException("raw log holds " + size + " bytes but " + acknowledged
                    + " acknowledged events make " + expected + " bytes");
        }
        if (acknowledged > 0) {
            ExtraMetrics.record("append", Map.of("impl", preallocated ? "rawPrealloc" : "raw"), "events_per_fsync",
                    (double) acknowledged / Math.max(1, log.flushes()), "events");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            log.close();
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
