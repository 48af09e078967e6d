package io.prodigy.storage.file.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RecordIndex} must never return the summary of an older version of a record file after its replacement
 * was written: inode number, size and modification time can repeat (see CheckpointCacheStalenessTest), so summaries
 * are only kept for files whose time has settled ({@link FileTimes}).
 */
class RecordIndexStalenessTest {

    private static final Logger LOG = LoggerFactory.getLogger(RecordIndexStalenessTest.class);
    private static final int WRITES = Integer.getInteger("cpcache.saves", 400);

    @TempDir
    Path dir;

    private static RecordIndex<String> index() {
        return new RecordIndex<>(file -> {
            try {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The collision made on purpose, with a time a minute ahead: a file just written, however slow this test is. */
    @Test
    void aJustWrittenFileWithTheIndexedInodeSizeAndTimeIsReadAgain() throws IOException {
        RecordIndex<String> index = index();
        Path file = dir.resolve("r.json");
        AtomicFiles.write(file, bytes("aaaa"));
        FileTime fresh = FileTime.from(Instant.now().plus(Duration.ofMinutes(1)));
        Files.setLastModifiedTime(file, fresh);
        assertThat(summaries(index)).containsExactly("aaaa");

        rewriteInPlace(file, "bbbb", fresh);

        assertThat(summaries(index)).containsExactly("bbbb");
    }

    /** A file whose time has settled is read once: an in-place rewrite that sets the time back is not seen. */
    @Test
    void aSettledFileIsReadOnce() throws IOException {
        RecordIndex<String> index = index();
        Path file = dir.resolve("r.json");
        AtomicFiles.write(file, bytes("aaaa"));
        FileTime settled = FileTime.from(Instant.now().minus(Duration.ofMinutes(1)));
        Files.setLastModifiedTime(file, settled);
        assertThat(summaries(index)).containsExactly("aaaa");

        rewriteInPlace(file, "bbbb", settled);

        assertThat(summaries(index)).containsExactly("aaaa");
    }

    @Test
    void equalSizedReplacementsScannedAfterEverySecondWriteNeverShowAnOlderVersion() throws IOException {
        assertThat(staleScans(index(), index(), 2)).isZero();
    }

    /** A second index on the same directory, as another process keeps. */
    @Test
    void anotherIndexScanningAfterEverySecondWriteNeverShowsAnOlderVersion() throws IOException {
        RecordIndex<String> writers = index();
        assertThat(staleScans(writers, index(), 2)).isZero();
    }

    @Test
    void equalSizedReplacementsScannedAfterEveryWriteNeverShowAnOlderVersion() throws IOException {
        RecordIndex<String> index = index();
        assertThat(staleScans(index, index, 1)).isZero();
    }

    /**
     * Replaces one record file {@link #WRITES} times with contents of the same size ({@link AtomicFiles#write}, as
     * the stores do), scanning with {@code writerIndex} after every write and with {@code reader} after every
     * {@code every}-th; returns how many of the reader's scans showed an older version.
     */
    private int staleScans(RecordIndex<String> writerIndex, RecordIndex<String> reader, int every) throws IOException {
        Path file = dir.resolve("r.json");
        int stale = 0;
        int scans = 0;
        for (int i = 0; i < WRITES; i++) {
            String version = String.format("%08d", i);
            AtomicFiles.write(file, bytes(version));
            if (writerIndex != reader) {
                summaries(writerIndex); // the writer's own listing after its write, as a store's page would be
            }
            if (i % every == 0) {
                scans++;
                stale += summaries(reader).equals(List.of(version)) ? 0 : 1;
            }
        }
        LOG.info("{} stale scans of {} ({} equal-sized writes, a scan after every {}) in {}", stale, scans, WRITES,
                every, dir);
        return stale;
    }

    private List<String> summaries(RecordIndex<String> index) {
        return index.scan(dir, ".json").stream().map(RecordIndex.Indexed::summary).toList();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code content} (the same length) into the file's own inode and sets its time to {@code time}. */
    private static void rewriteInPlace(Path file, String content, FileTime time) throws IOException {
        Object inode = inode(file);
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(file, time);
        assertThat(inode(file)).isEqualTo(inode);
    }

    private static Object inode(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
