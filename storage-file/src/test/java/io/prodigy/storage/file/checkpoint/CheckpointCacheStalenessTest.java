package io.prodigy.storage.file.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.StorageContext;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointInfo;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.page.PageRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parse cache must never serve an older version of a checkpoint after a save has returned. A cached file is
 * recognised by its inode number, size and modification time; Linux reuses a freed inode number at once (the rename
 * of each save frees the previous version's) and, before 6.13 or on file systems without multigrain timestamps,
 * stamps files from a clock that advances one tick (4 ms at HZ 250) at a time, so two equal-sized versions written
 * within one tick can carry the same key (measured on ext2: docs/file-layout.md, "Caches of parsed records").
 */
class CheckpointCacheStalenessTest {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCacheStalenessTest.class);
    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");
    /** Saves per case: 2-3 s on the disk; on ext2 (no multigrain timestamps) 2,000 gave 93-147 stale reads before. */
    private static final int SAVES = Integer.getInteger("cpcache.saves", 400);

    @TempDir
    Path base;

    private FileStorage open() {
        return new FileStorageProvider().open(FileConfig.DEFAULT.withBaseDir(base), StorageContext.system());
    }

    /**
     * The key collision itself, made on purpose: the checkpoint's file is rewritten in place (same inode), to the same
     * size, and its time set back to what the cached parse recorded. The time is a minute ahead of the clock, as a
     * file written this instant looks to a reader however slowly this test runs.
     */
    @Test
    void aJustWrittenFileWithTheCachedInodeSizeAndTimeIsReadAgain() throws IOException {
        try (FileStorage store = open()) {
            Checkpoint saved = store.checkpoints().save(checkpoint("aaaa"));
            Path file = onlyFile();
            FileTime fresh = FileTime.from(Instant.now().plus(Duration.ofMinutes(1)));
            Files.setLastModifiedTime(file, fresh);
            assertThat(state(store.checkpoints().load(saved.scope(), "cp1").orElseThrow())).isEqualTo("aaaa");
            assertThat(listed(store)).hasSize(1);

            rewriteInPlace(file, "aaaa", "bbbb", fresh);

            assertThat(state(store.checkpoints().load(saved.scope(), "cp1").orElseThrow())).isEqualTo("bbbb");
            assertThat(state(store.checkpoints().latest(saved.scope()).orElseThrow())).isEqualTo("bbbb");
        }
    }

    /**
     * The other side of the rule: a file whose time is older than the settle window is parsed once and then served
     * from the cache while its inode, size and time stay the same; only an in-place rewrite that sets the time back
     * (which the store never does) goes unnoticed.
     */
    @Test
    void aSettledFileIsServedFromTheCache() throws IOException {
        try (FileStorage store = open()) {
            Checkpoint saved = store.checkpoints().save(checkpoint("aaaa"));
            Path file = onlyFile();
            FileTime settled = FileTime.from(Instant.now().minus(Duration.ofMinutes(1)));
            Files.setLastModifiedTime(file, settled);
            assertThat(state(store.checkpoints().load(saved.scope(), "cp1").orElseThrow())).isEqualTo("aaaa");

            rewriteInPlace(file, "aaaa", "bbbb", settled);

            assertThat(state(store.checkpoints().load(saved.scope(), "cp1").orElseThrow())).isEqualTo("aaaa");
        }
    }

    @Test
    void equalSizedSavesReadAfterEachSaveNeverReadAnOlderVersion() throws IOException {
        try (FileStorage store = open()) {
            assertThat(staleReads(store, store, 1)).isZero();
        }
    }

    /** Two saves between reads: the reader's cached version's inode number is the one the second save reuses. */
    @Test
    void equalSizedSavesReadAfterEverySecondSaveNeverReadAnOlderVersion() throws IOException {
        try (FileStorage store = open()) {
            assertThat(staleReads(store, store, 2)).isZero();
        }
    }

    /** The reader is another store on the same directory, as another process is. */
    @Test
    void anotherStoreReadingAfterEverySecondSaveNeverReadsAnOlderVersion() throws IOException {
        try (FileStorage writer = open(); FileStorage reader = open()) {
            assertThat(staleReads(writer, reader, 2)).isZero();
        }
    }

    /**
     * Saves {@link #SAVES} versions of one checkpoint, all of the same size, reading it with {@code reader} (by
     * {@code load}, {@code latest} and {@code list}) after every {@code every}-th save; returns how many reads
     * returned an older version than the last save.
     */
    private int staleReads(FileStorage writer, FileStorage reader, int every) throws IOException {
        Checkpoint cp = writer.checkpoints().save(checkpoint(marker(0, 1)));
        long size = Files.size(onlyFile());
        int stale = 0;
        int reads = 0;
        for (int i = 1; i <= SAVES; i++) {
            cp = writer.checkpoints().save(cp.withState(state(marker(i, cp.revision() + 1))));
            assertThat(Files.size(onlyFile())).as("every version has the same size").isEqualTo(size);
            if (i % every == 0) {
                reads += 3;
                String expected = state(cp);
                stale += expected.equals(state(reader.checkpoints().load(cp.scope(), "cp1").orElseThrow())) ? 0 : 1;
                stale += expected.equals(state(reader.checkpoints().latest(cp.scope()).orElseThrow())) ? 0 : 1;
                stale += listed(reader).get(0).revision() == cp.revision() ? 0 : 1;
            }
        }
        LOG.info("{} stale reads of {} ({} equal-sized saves, a read after every {}, {} store(s)) in {}", stale,
                reads, SAVES, every, writer == reader ? "one" : "two", base);
        return stale;
    }

    /** The version's marker, padded so that the file keeps its size as the revision gains digits. */
    private static String marker(int version, long revision) {
        return String.format("%0" + (16 - Long.toString(revision).length()) + "d", version);
    }

    private static Checkpoint checkpoint(String state) {
        return Checkpoint.workflow("cp1", "wf1", T0, 1, List.of(0), Map.of(), state(state));
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode state(String value) {
        return Json.nodes().objectNode().put("v", value);
    }

    private static String state(Checkpoint c) {
        return c.state().get("v").asText();
    }

    private List<CheckpointInfo> listed(FileStorage store) {
        return store.checkpoints().list(CheckpointFilter.ALL, PageRequest.first(100)).items();
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.walk(base)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(".checkpoint.json")).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    /** Replaces {@code from} by {@code to} (same length) in the file's own inode and sets its time to {@code time}. */
    private static void rewriteInPlace(Path file, String from, String to, FileTime time) throws IOException {
        Object inode = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey();
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(content).contains(from);
        Files.writeString(file, content.replace(from, to), StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(file, time);
        assertThat(Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey()).isEqualTo(inode);
    }
}
