package io.prodigy.storage.bench.records;

import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.session.PersistedSession;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where a record save's time goes beyond the atomic-rename floor, measured interleaved in one JVM so that every
 * variant sees the same load and the same disk: the bare protocol (temp, write, fdatasync, rename, fsync of the
 * directory) at 4 KiB and at the size of the stored session file, then with the backend's temp naming, then with the
 * read of the current record the revision check needs, then the backend's session and checkpoint save themselves.
 * Each round runs every variant once ({@code batch} calls), in an order that rotates from round to round; the result
 * is the median over rounds of wall time and of this thread's CPU time per call.
 * <pre>java -cp benchmarks.jar io.prodigy.storage.bench.records.SaveBreakdown [ROUNDS] [BATCH]</pre>
 */
public final class SaveBreakdown {

    private static final int WARMUP_ROUNDS = 3;

    private SaveBreakdown() {}

    /** One call of one variant. */
    private interface Call {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path raw = BenchDirs.newScratchDir("save-breakdown");
        try (RecordTarget target = RecordTarget.open("file")) {
            PersistedSession[] session = {target.saveSession(RecordFixtures.session(4096))};
            Checkpoint[] checkpoint = {target.saveCheckpoint(RecordFixtures.checkpoint(4096))};
            int recordSize = (int) Files.size(((RecordTarget.FileTarget) target).dir().resolve("sessions")
                    .resolve(session[0].id() + ".json"));
            Map<String, Call> calls = new LinkedHashMap<>();
            calls.put("floor, 4096 B, fixed temp name", replace(raw, "a.json", 4096, false, false));
            calls.put("floor, " + recordSize + " B (the session file)", replace(raw, "b.json", recordSize, false, false));
            calls.put("  + random temp name (UUID)", replace(raw, "c.json", recordSize, true, false));
            calls.put("  + read of the current file", replace(raw, "d.json", recordSize, true, true));
            calls.put("sessionSave (backend)", () -> session[0] = target.saveSession(
                    session[0].withProgress(session[0].iterationsCompleted() + 1, 0)));
            calls.put("checkpointSave (backend)", () -> checkpoint[0] = target.saveCheckpoint(
                    checkpoint[0].withStepIndex(checkpoint[0].stepIndex() + 1)));
            report(measure(calls, rounds, batch), rounds, batch);
        } finally {
            BenchDirs.deleteRecursively(raw);
        }
    }

    /** The rename protocol on {@code dir/name}, optionally with a random temp name and a read of the file first. */
    private static Call replace(Path dir, String name, int size, boolean randomName, boolean readFirst)
            throws IOException {
        Path target = dir.resolve(name);
        byte[] content = new byte[size];
        Arrays.fill(content, (byte) 'x');
        Files.write(target, content);
        return () -> {
            if (readFirst) {
                Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                    ch.read(ByteBuffer.allocate((int) ch.size() + 1));
                }
            }
            Path tmp = dir.resolve(randomName ? "." + name + "." + UUID.randomUUID() + ".tmp" : "." + name + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(false);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        };
    }

    private static Map<String, long[][]> measure(Map<String, Call> calls, int rounds, int batch) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<String> names = new ArrayList<>(calls.keySet());
        Map<String, long[][]> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, new long[2][rounds]));
        for (int r = -WARMUP_ROUNDS; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(Math.floorMod(k + r, names.size())); // rotate the order
                Call call = calls.get(name);
                long cpu = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < batch; i++) {
                    call.run();
                }
                if (r >= 0) {
                    out.get(name)[0][r] = (System.nanoTime() - start) / batch;
                    out.get(name)[1][r] = (threads.getCurrentThreadCpuTime() - cpu) / batch;
                }
            }
        }
        return out;
    }

    private static void report(Map<String, long[][]> results, int rounds, int batch) {
        System.out.printf("%d rounds of %d calls each, medians; load average %.2f%n", rounds, batch,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%-40s %12s %12s%n", "variant", "wall us", "CPU us");
        results.forEach((name, v) -> System.out.printf("%-40s %12.1f %12.1f%n", name, median(v[0]) / 1e3,
                median(v[1]) / 1e3));
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
