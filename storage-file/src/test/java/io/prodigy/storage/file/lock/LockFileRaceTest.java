package io.prodigy.storage.file.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.error.FencingException;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.lock.Fence;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.support.lease.FenceCheck;
import io.prodigy.storage.tck.TestClock;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock-free readers racing the writer of a lock file: they never see an invalid state nor a mix of two versions, only
 * states the writer wrote, in order.
 */
class LockFileRaceTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path dir;

    /** Starts {@code n} threads running {@code body} until {@code stop}; their failures end up in {@code errors}. */
    private static List<Thread> readers(int n, AtomicBoolean stop, List<Throwable> errors, Runnable body) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        body.run();
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, "lock-reader-" + i);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    @Test
    void readersOfCurrentAndFencesSeeOnlyGrantedStatesWhileTheWriterGrantsAndReleases() throws Exception {
        Map<Long, String> granted = new ConcurrentHashMap<>();
        Map<Long, String> observed = new ConcurrentHashMap<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong fenceChecks = new AtomicLong();
        try (FileStorage s = new FileStorageProvider().open(FileConfig.DEFAULT.withBaseDir(dir),
                new StorageContext(TestClock.at(T0), null))) {
            s.locks().release(s.locks().tryAcquire("k", Duration.ofMinutes(1)).orElseThrow());
            ThreadLocal<long[]> lastToken = ThreadLocal.withInitial(() -> new long[1]);
            List<Thread> threads = readers(3, stop, errors, () -> {
                s.locks().current("k").ifPresent(l -> {
                    long[] last = lastToken.get();
                    assertThat(l.fencingToken()).as("tokens never go backwards").isGreaterThanOrEqualTo(last[0]);
                    last[0] = l.fencingToken();
                    String before = observed.putIfAbsent(l.fencingToken(), l.holder());
                    assertThat(before == null || before.equals(l.holder())).as("one holder per token").isTrue();
                    try {
                        ((FenceCheck) s.locks()).check(new Fence("k", l.fencingToken()), "record");
                        fenceChecks.incrementAndGet();
                    } catch (FencingException released) {
                        // released between the two reads: a refusal, never an error
                    }
                });
                reads.incrementAndGet();
            });
            for (int i = 0; i < 150; i++) {
                LockLease lease = s.locks().tryAcquire("k", Duration.ofMinutes(1)).orElseThrow();
                granted.put(lease.fencingToken(), lease.holder());
                s.locks().release(lease);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
        assertThat(errors).isEmpty();
        assertThat(reads.get()).isPositive();
        for (Map.Entry<Long, String> e : observed.entrySet()) {
            assertThat(granted.get(e.getKey())).as("token %d was read with the holder it was granted to", e.getKey())
                    .isEqualTo(e.getValue());
        }
        assertThat(observed).as("held states were seen").isNotEmpty();
    }

    /**
     * The slot format alone, written as fast as the writer thread can (no {@code fdatasync} between writes), so reads
     * overlap writes as often as they can: each version's payload repeats its number across most of a slot, so a mix
     * would show, and a state older than one already read would too. (On Linux a read rarely catches a page being
     * copied; {@link #aReadThatFindsATornSlotIsRepeatedUntilTwoReadsAgree} covers the torn cases one by one.)
     */
    @Test
    void rawReadersRacingUnsyncedSlotWritesNeverSeeAMix() throws Exception {
        Path file = dir.resolve("k.lock");
        LockFile.create(file, payload(1));
        Pattern shape = Pattern.compile("\\{\"n\":(\\d+),\"pad\":\"((?:\\d+-)+)\"}");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        ThreadLocal<long[]> lastSeen = ThreadLocal.withInitial(() -> new long[1]);
        List<Thread> threads = readers(2, stop, errors, () -> {
            LockFile.Content c = LockFile.read(file, false).orElseThrow();
            Matcher m = shape.matcher(new String(c.json(), StandardCharsets.US_ASCII));
            assertThat(m.matches()).as("a whole payload").isTrue();
            long n = Long.parseLong(m.group(1));
            assertThat(m.group(2)).as("one version only").isEqualTo((n + "-").repeat(m.group(2).length()
                    / (n + "-").length()));
            assertThat(c.generation()).isEqualTo(n);
            long[] last = lastSeen.get();
            assertThat(n).as("versions never go backwards").isGreaterThanOrEqualTo(last[0]);
            last[0] = n;
            reads.incrementAndGet();
        });
        int slotSize = LockFile.SLOT;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long n = 2; n <= 20_000 && errors.isEmpty(); n++) {
                // What Update.write does, less the fdatasync.
                ch.write(ByteBuffer.wrap(LockFile.encodeSlot(n, payload(n), slotSize)), ((n - 1) % 2) * slotSize);
            }
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(reads.get()).isPositive();
    }

    /**
     * The reads a racing reader may make, one by one: a read that saw slot A before a write to it and slot B torn by
     * the write after must not return A's older state; the same torn bytes twice are a crash's tear (or damage).
     */
    @Test
    void aReadThatFindsATornSlotIsRepeatedUntilTwoReadsAgree() {
        int slot = LockFile.SLOT;
        byte[] g1 = LockFile.encodeSlot(1, payload(1), slot);
        byte[] g2 = LockFile.encodeSlot(2, payload(2), slot);
        byte[] g3 = LockFile.encodeSlot(3, payload(3), slot);
        byte[] g4torn = LockFile.encodeSlot(4, payload(4), slot);
        System.arraycopy(g2, 100, g4torn, 100, 2000); // half version 4, half version 2
        Deque<byte[]> reads = new ArrayDeque<>(List.of(concat(g1, g4torn), concat(g3, g4torn), concat(g3, g4torn)));
        LockFile.Content c = LockFile.read(() -> Optional.of(ByteBuffer.wrap(reads.getFirst())
                .position(reads.removeFirst().length))).orElseThrow();
        assertThat(c.generation()).as("not version 1: version 2 was current when the read began").isEqualTo(3);
        assertThat(reads).isEmpty();

        byte[] both = concat(g4torn, g4torn);
        Deque<byte[]> damaged = new ArrayDeque<>(List.of(both, both, both));
        assertThatThrownBy(() -> LockFile.read(() -> Optional.of(ByteBuffer.wrap(damaged.getFirst())
                .position(damaged.removeFirst().length)))).isInstanceOf(LockFile.Unreadable.class);
        assertThat(damaged).as("the same bytes twice: damage").hasSize(1);

        byte[] clean = concat(g1, g2);
        Deque<byte[]> once = new ArrayDeque<>(List.of(clean, clean));
        assertThat(LockFile.read(() -> Optional.of(ByteBuffer.wrap(once.getFirst())
                .position(once.removeFirst().length))).orElseThrow().generation()).isEqualTo(2);
        assertThat(once).as("no torn slot: one read").hasSize(1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] payload(long n) {
        String unit = n + "-";
        return ("{\"n\":" + n + ",\"pad\":\"" + unit.repeat(3000 / unit.length()) + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
