package io.prodigy.storage.file.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.tck.TestClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-slot lock file format: round trips, torn slots, damage, upgrades of the earlier format, growth. */
class LockFileFormatTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path dir;

    private final TestClock clock = TestClock.at(T0);

    private static byte[] json(String key, long token) {
        return ("{\n  \"key\" : \"" + key + "\",\n  \"fencing_token\" : " + token + "\n}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String text(LockFile.Content c) {
        return new String(c.json(), StandardCharsets.UTF_8);
    }

    /** Writes {@code json} the way {@link LockFile.Update#write} does, for a file the test controls. */
    private static void write(Path file, byte[] json) throws IOException {
        try (LockFile.Update u = LockFile.openForUpdate(file)) {
            u.write(json);
        }
    }

    private static LockFile.Content read(Path file) {
        return LockFile.read(file, false).orElseThrow();
    }

    /** Overwrites part of slot {@code index} with garbage, as a crash or a racing write would leave it. */
    private static void tear(Path file, int index, int offset) throws IOException {
        int slotSize = (int) Files.size(file) / 2;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("#torn#".getBytes(StandardCharsets.US_ASCII)), (long) index * slotSize + offset);
        }
    }

    @Test
    void slotsRoundTripAlternateAndStayTheSameSize() throws IOException {
        Path file = dir.resolve("k.lock");
        write(file, json("k", 1));
        LockFile.Content first = read(file);
        assertThat(text(first)).isEqualTo(new String(json("k", 1), StandardCharsets.UTF_8));
        assertThat(first.generation()).isEqualTo(1);
        assertThat(first.slot()).isZero();
        assertThat(Files.size(file)).isEqualTo(2L * LockFile.SLOT);
        Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        for (int i = 2; i <= 6; i++) {
            write(file, json("k", i));
            LockFile.Content c = read(file);
            assertThat(c.generation()).isEqualTo(i);
            assertThat(c.slot()).as("generation %d goes to the slot not holding the newest", i).isEqualTo((i - 1) % 2);
            assertThat(text(c)).contains("\"fencing_token\" : " + i);
        }
        assertThat(Files.size(file)).isEqualTo(2L * LockFile.SLOT);
        assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .as("written in place: the same inode").isEqualTo(inode);
        // cat shows both versions readably: the whole file is text.
        String cat = Files.readString(file);
        assertThat(cat).contains("prodigy-lock v1 gen 0000000000000000006", "\"fencing_token\" : 6",
                "\"fencing_token\" : 5");
    }

    @Test
    void aTornSlotFallsBackToTheOtherSlotsPreviousState() throws IOException {
        Path file = dir.resolve("k.lock");
        write(file, json("k", 1)); // slot A, generation 1
        write(file, json("k", 2)); // slot B, generation 2
        tear(file, 1, LockFile.HEADER + 5); // B torn in its payload: A (the previous state) is read
        assertThat(text(read(file))).contains("\"fencing_token\" : 1");
        assertThat(read(file).generation()).isEqualTo(1);

        write(file, json("k", 3)); // goes to B again (A holds the newest valid), generation 2
        assertThat(read(file).slot()).isEqualTo(1);
        assertThat(text(read(file))).contains("\"fencing_token\" : 3");
        write(file, json("k", 4)); // A, generation 3
        tear(file, 0, 25); // A torn in its generation digits: B
        assertThat(text(read(file))).contains("\"fencing_token\" : 3");
        tear(file, 0, 0); // and in its magic
        assertThat(text(read(file))).contains("\"fencing_token\" : 3");
        tear(file, 1, LockFile.SLOT - 10); // B torn in its padding: the checksum covers it too
        assertThatThrownBy(() -> read(file)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("neither of its two slots");
    }

    @Test
    void bothSlotsTornIsReportedWithTheRepairAndForceReleaseRepairsIt() throws IOException {
        long stale;
        try (FileStorage s = open()) {
            LockLease a = s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow();
            s.locks().release(a);
            stale = s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow().fencingToken();
        }
        Path file = dir.resolve("locks/deploy.lock");
        tear(file, 0, LockFile.HEADER + 3);
        tear(file, 1, LockFile.HEADER + 3);
        try (FileStorage s = open()) {
            assertThatThrownBy(() -> s.locks().current("deploy")).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("neither of its two slots passes its checksum")
                    .hasMessageContaining("locks release deploy --force").hasMessageContaining("Do not delete");
            assertThatThrownBy(() -> s.locks().tryAcquire("deploy", Duration.ofSeconds(30)))
                    .isInstanceOf(CorruptionException.class).hasMessageContaining("--force");
            byte[] damaged = Files.readAllBytes(file);
            assertThatThrownBy(() -> s.locks().tryAcquire("deploy", Duration.ofSeconds(30)))
                    .isInstanceOf(CorruptionException.class);
            assertThat(Files.readAllBytes(file)).as("a refused step changes nothing").isEqualTo(damaged);

            assertThat(s.locks().forceRelease("deploy")).isEmpty();
            LockLease next = s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow();
            assertThat(next.fencingToken()).isGreaterThan(stale);
            assertThat(read(file).slot()).as("the repaired file is slotted again, then written in place").isOne();
        }
    }

    @Test
    void theGenerationIsALongAndItsLastValueStartsAFreshFile() throws IOException {
        Path file = dir.resolve("k.lock");
        byte[] f = LockFile.newFile(Long.MAX_VALUE - 1, json("k", 7));
        Files.write(file, f);
        write(file, json("k", 8));
        LockFile.Content c = read(file);
        assertThat(c.generation()).isEqualTo(Long.MAX_VALUE);
        assertThat(text(c)).contains("\"fencing_token\" : 8");
        write(file, json("k", 9)); // no generation above: a fresh file, atomically, at generation 1
        c = read(file);
        assertThat(c.generation()).isEqualTo(1);
        assertThat(text(c)).contains("\"fencing_token\" : 9");
        write(file, json("k", 10));
        assertThat(text(read(file))).contains("\"fencing_token\" : 10");
    }

    @Test
    void anyLeaseWithValidIdsFitsASlotAndALargerOneGetsLargerSlotsNeverTruncated() throws IOException {
        String longest = "k".repeat(Ids.MAX_BYTES);
        String host = "h".repeat(253);
        LeaseRecord worst = new LeaseRecord(longest, Long.MAX_VALUE, java.util.UUID.randomUUID().toString(),
                "pid " + Long.MAX_VALUE + " on " + host, Long.MAX_VALUE, host, T0, T0, Duration.ofDays(365_000),
                T0.plus(Duration.ofDays(365_000)), T0, true);
        byte[] worstJson = io.prodigy.storage.file.io.JsonFiles.toBytes(worst);
        assertThat(worstJson.length).as("the largest lease with valid ids").isLessThan(1536);
        assertThat(LockFile.slotSizeFor(worstJson)).isEqualTo(LockFile.SLOT);

        Path file = dir.resolve("k.lock");
        write(file, json("k", 1));
        String big = "{\"key\":\"k\",\"fencing_token\":2,\"owner\":\"" + "o".repeat(3 * LockFile.SLOT) + "\"}";
        write(file, big.getBytes(StandardCharsets.UTF_8));
        assertThat(Files.size(file)).isEqualTo(2L * 4 * LockFile.SLOT);
        assertThat(text(read(file))).isEqualTo(big);
        write(file, json("k", 3)); // fits the larger slots: in place
        assertThat(Files.size(file)).isEqualTo(2L * 4 * LockFile.SLOT);
        assertThat(text(read(file))).contains("\"fencing_token\" : 3");
    }

    @Test
    void aFileOfTheEarlierFormatIsReadAndUpgradedByItsNextWrite() throws IOException {
        Files.createDirectories(dir.resolve("locks"));
        Path file = dir.resolve("locks/deploy.lock");
        // As earlier versions wrote it: the lease as plain JSON, held by another host's process until T0 + 30 s.
        LeaseRecord old = new LeaseRecord("deploy", 41, "h-41", "pid 1 on elsewhere", 1L, "elsewhere.example",
                null, T0, Duration.ofSeconds(30), T0.plusSeconds(30), null, false);
        Files.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(old));
        try (FileStorage s = open()) {
            assertThat(s.locks().current("deploy")).get().extracting(LockLease::fencingToken).isEqualTo(41L);
            assertThat(s.locks().tryAcquire("deploy", Duration.ofSeconds(30))).isEmpty();
            assertThat(Files.readString(file)).as("a refused grant writes nothing").startsWith("{");
            clock.advance(Duration.ofSeconds(31));
            LockLease next = s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow();
            assertThat(next.fencingToken()).isEqualTo(42);
            assertThat(Files.readString(file)).startsWith("prodigy-lock v1 gen 0000000000000000001");
            assertThat(Files.size(file)).isEqualTo(2L * LockFile.SLOT);
            s.locks().release(next);
            assertThat(read(file).generation()).isEqualTo(2);
            assertThat(s.locks().current("deploy")).isEmpty();
            assertThat(s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow().fencingToken())
                    .isEqualTo(43);
        }
    }

    private FileStorage open() {
        return new FileStorageProvider().open(FileConfig.DEFAULT.withBaseDir(dir), new StorageContext(clock, null));
    }
}
