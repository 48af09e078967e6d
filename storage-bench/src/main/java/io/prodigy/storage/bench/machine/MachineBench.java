package io.prodigy.storage.bench.machine;

import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.LatencyRecorder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Issue 7, item 6: what the disk allows, measured in the same run as everything else.
 * <ul>
 *   <li>{@code fsyncAppend}: append {@value #SMALL} bytes to a growing file, then fdatasync: what a plain appending
 *       log pays per durable write (the data block and the file-size change are flushed);</li>
 *   <li>{@code fsyncOverwrite}: overwrite a 4 KiB block of an already written file, then fdatasync: the raw flush
 *       rate of the device when no metadata changes (what a preallocated or reused file pays);</li>
 *   <li>{@code fsyncPreallocated}: append {@value #SMALL} bytes into a file zero-filled (written and forced)
 *       ahead, then fdatasync: how the file backend appends to its active segment since issue 16;</li>
 *   <li>{@code fsyncSparse}: the same into a file extended by a sparse {@code setLength} instead: no size change,
 *       but each new block is allocated at the sync (the alternative issue 16 measured and did not take);</li>
 *   <li>{@code sequentialWrite}: write {@value #SEQ_CHUNKS} MiB in 1 MiB chunks, then fsync; the secondary score
 *       {@code bytes} is the sequential write bandwidth in bytes per second.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 1, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(1)
public class MachineBench {

    static final int SMALL = 256;
    static final int BLOCK = 4096;
    static final int OVERWRITE_FILE_BLOCKS = 16 * 256; // 16 MiB of 4 KiB blocks
    static final int SEQ_CHUNKS = 16;
    static final int MIB = 1 << 20;
    static final long PREALLOCATED = 64L * MIB;

    private Path dir;
    private FileChannel appendFile;
    private FileChannel overwriteFile;
    private FileChannel seqFile;
    private FileChannel zeroFilledFile;
    private FileChannel sparseFile;
    private long zeroFilledPos;
    private long sparsePos;
    private final ByteBuffer small = ByteBuffer.allocateDirect(SMALL);
    private final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(MIB);
    private final LatencyRecorder latency = new LatencyRecorder();
    private int measuredIterations;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = BenchDirs.newScratchDir("machine");
        for (int i = 0; i < SMALL; i++) {
            small.put((byte) (i == SMALL - 1 ? '\n' : 'a' + i % 26));
        }
        small.flip();
        while (block.hasRemaining()) {
            block.put((byte) 'b');
        }
        block.flip();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (chunk.hasRemaining()) {
            chunk.put((byte) rnd.nextInt()); // incompressible, in case the device compresses
        }
        chunk.flip();
        appendFile = FileChannel.open(dir.resolve("append.log"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        overwriteFile = FileChannel.open(dir.resolve("overwrite.dat"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        // Write every block once and sync, so overwrites touch allocated blocks and never change the file size.
        for (int i = 0; i < OVERWRITE_FILE_BLOCKS; i++) {
            writeFully(overwriteFile, block.duplicate(), (long) i * BLOCK);
        }
        overwriteFile.force(true);
        seqFile = FileChannel.open(dir.resolve("sequential.dat"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        zeroFilledFile = FileChannel.open(dir.resolve("preallocated.log"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        ByteBuffer zeros = ByteBuffer.allocateDirect(MIB);
        for (long pos = 0; pos < PREALLOCATED; pos += MIB) {
            writeFully(zeroFilledFile, zeros.duplicate(), pos);
        }
        zeroFilledFile.force(true);
        sparseFile = FileChannel.open(dir.resolve("sparse.log"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
    }

    @Setup(Level.Iteration)
    public void startIteration() throws IOException {
        latency.reset();
        seqFile.truncate(0); // every iteration writes fresh blocks, never rewrites cached ones
        seqFile.position(0);
        // A fresh sparse file per iteration: its size set once (and forced), no block allocated yet.
        sparseFile.truncate(0);
        writeFully(sparseFile, ByteBuffer.wrap(new byte[1]), PREALLOCATED - 1);
        sparseFile.force(true);
        sparsePos = 0;
    }

    @TearDown(Level.Iteration)
    public void endIteration(BenchmarkParams benchmark, IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT) {
            measuredIterations++;
        }
        latency.publishIteration(benchmark, iteration, measuredIterations);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            appendFile.close();
            overwriteFile.close();
            seqFile.close();
            zeroFilledFile.close();
            sparseFile.close();
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }

    /** Bytes written by {@code sequentialWrite}, reported as bytes per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Benchmark
    public void fsyncAppend() throws IOException {
        long start = System.nanoTime();
        ByteBuffer b = small.duplicate();
        while (b.hasRemaining()) {
            appendFile.write(b);
        }
        appendFile.force(false);
        latency.record(System.nanoTime() - start);
    }

    @Benchmark
    public void fsyncOverwrite() throws IOException {
        long start = System.nanoTime();
        long offset = (long) ThreadLocalRandom.current().nextInt(OVERWRITE_FILE_BLOCKS) * BLOCK;
        writeFully(overwriteFile, block.duplicate(), offset);
        overwriteFile.force(false);
        latency.record(System.nanoTime() - start);
    }

    /**
     * The least a crash-safe whole-file replacement costs on this disk, and so the floor of a file-backend record
     * save: create a temp file, write 4 KiB, fdatasync, rename it over the target, fsync the directory. Two syncs,
     * and each commits the file system's journal (a new inode, then a rename), unlike an overwrite in place.
     */
    @Benchmark
    public void renameReplace() throws IOException {
        long start = System.nanoTime();
        Path tmp = dir.resolve(".record.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(ch, block.duplicate(), 0);
            ch.force(false);
        }
        Files.move(tmp, dir.resolve("record.json"), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        latency.record(System.nanoTime() - start);
    }

    @Benchmark
    public void fsyncPreallocated() throws IOException {
        long start = System.nanoTime();
        writeFully(zeroFilledFile, small.duplicate(), zeroFilledPos);
        zeroFilledFile.force(false);
        zeroFilledPos = (zeroFilledPos + SMALL) % PREALLOCATED; // wraps onto written blocks: still no size change
        latency.record(System.nanoTime() - start);
    }

    @Benchmark
    public void fsyncSparse() throws IOException {
        long start = System.nanoTime();
        writeFully(sparseFile, small.duplicate(), sparsePos);
        sparseFile.force(false);
        sparsePos = (sparsePos + SMALL) % (PREALLOCATED - SMALL);
        latency.record(System.nanoTime() - start);
    }

    @Benchmark
    public void sequentialWrite(Bytes counter) throws IOException {
        long start = System.nanoTime();
        for (int i = 0; i < SEQ_CHUNKS; i++) {
            ByteBuffer b = chunk.duplicate();
            while (b.hasRemaining()) {
                seqFile.write(b);
            }
        }
        seqFile.force(true);
        latency.record(System.nanoTime() - start);
        counter.bytes += (long) SEQ_CHUNKS * MIB;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }
}
