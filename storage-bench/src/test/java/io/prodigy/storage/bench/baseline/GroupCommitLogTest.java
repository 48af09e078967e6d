package io.prodigy.storage.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitLogTest {

    @TempDir
    Path dir;

    @Test
    void concurrentAppendsAreAllWrittenWholeAndShareFlushes() throws Exception {
        Path file = dir.resolve("log.jsonl");
        int threads = 8;
        int perThread = 200;
        try (GroupCommitLog log = GroupCommitLog.open(file)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            // two lines per append, so a torn or interleaved append would show
                            String lines = "{\"t\":" + thread + ",\"i\":" + i + ",\"part\":1}\n"
                                    + "{\"t\":" + thread + ",\"i\":" + i + ",\"part\":2}\n";
                            log.append(ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8)));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            assertThat(log.flushes()).isBetween(1L, (long) threads * perThread);
            assertThat(log.bytesWritten()).isEqualTo(Files.size(file));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * perThread * 2);
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < lines.size(); k += 2) {
            String first = lines.get(k);
            String second = lines.get(k + 1);
            assertThat(first).endsWith(",\"part\":1}");
            assertThat(second).isEqualTo(first.replace("\"part\":1", "\"part\":2"));
            assertThat(seen.add(first)).as("duplicate append %s", first).isTrue();
        }
    }

    @Test
    void aPreallocatedLogOverwritesItsZerosAndGrowsThemWhenReached() throws Exception {
        Path file = dir.resolve("prealloc.jsonl");
        byte[] line = "0123456789abcdef0123456789abcde\n".getBytes(StandardCharsets.UTF_8); // 32 bytes
        try (GroupCommitLog log = GroupCommitLog.openPreallocated(file, 4096)) {
            assertThat(Files.size(file)).isEqualTo(4096);
            for (int i = 0; i < 100; i++) {
                log.append(ByteBuffer.wrap(line));
            }
            assertThat(log.bytesWritten()).isEqualTo(3200);
            assertThat(Files.size(file)).as("written into the zeros").isEqualTo(4096);
            for (int i = 0; i < 100; i++) {
                log.append(ByteBuffer.wrap(line));
            }
            assertThat(Files.size(file)).as("grown past the preallocation")
                    .isEqualTo(4096 + 32 + GroupCommitLog.PREALLOCATION_STEP); // by the append that crossed it
        }
        byte[] bytes = Files.readAllBytes(file);
        String data = new String(bytes, 0, 6400, StandardCharsets.UTF_8);
        assertThat(data.lines()).hasSize(200).containsOnly("0123456789abcdef0123456789abcde");
        for (int i = 6400; i < bytes.length; i += 4096) {
            assertThat(bytes[i]).isZero();
        }
        assertThatThrownBy(() -> GroupCommitLog.openPreallocated(file, 4096)).as("never over an existing file")
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void appendLeavesTheCallersBufferUntouchedSoItCanBeReused() throws Exception {
        Path file = dir.resolve("reuse.log");
        ByteBuffer line = ByteBuffer.wrap("same line\n".getBytes(StandardCharsets.UTF_8));
        try (GroupCommitLog log = GroupCommitLog.open(file)) {
            log.append(line);
            log.append(line);
            assertThat(line.remaining()).isEqualTo(10);
            assertThat(log.flushes()).isEqualTo(2);
        }
        assertThat(Files.readAllLines(file)).containsExactly("same line", "same line");
    }

    @Test
    void aFailedFlushFailsThisAndEveryLaterAppend() throws Exception {
        GroupCommitLog log = GroupCommitLog.open(dir.resolve("closed.log"));
        log.close(); // writes now fail with ClosedChannelException
        ByteBuffer line = ByteBuffer.wrap("x\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> log.append(line)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> log.append(line)).isInstanceOf(IOException.class).hasMessageContaining("failed");
    }
}
