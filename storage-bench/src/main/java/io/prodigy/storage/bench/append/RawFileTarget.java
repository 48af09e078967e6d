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
 * buffer: the baseline pays for the write and the fsync and nothing else.
 */
final class RawFileTarget implements AppendTarget {

    private final Path dir;
    private final GroupCommitLog log;
    private volatile int batchBytes;
    private volatile int batchEvents;

    private RawFileTarget(Path dir, GroupCommitLog log) {
        this.dir = dir;
        this.log = log;
    }

    static RawFileTarget open() throws IOException {
        Path dir = BenchDirs.newScratchDir("append-raw");
        try {
            return new RawFileTarget(dir, GroupCommitLog.open(dir.resolve("events.jsonl")));
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
        long size = Files.size(dir.resolve("events.jsonl"));
        long expected = batchEvents == 0 ? 0 : acknowledged / batchEvents * batchBytes;
        if (size != expected) {
            throw new IllegalStateException("raw log holds " + size + " bytes but " + acknowledged
                    + " acknowledged events make " + expected + " bytes");
        }
        if (acknowledged > 0) {
            ExtraMetrics.record("append", Map.of("impl", "raw"), "events_per_fsync",
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
