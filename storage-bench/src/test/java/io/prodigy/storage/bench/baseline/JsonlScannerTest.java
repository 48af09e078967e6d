package io.prodigy.storage.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlScannerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void parsesEveryLineOfEverySegmentAndAnswersLikeTheStoreWould() throws Exception {
        EventFactory factory = new EventFactory("j");
        List<EventRecord> records = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int segment = 0; segment < 3; segment++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < 40; i++) {
                long seq = records.size() + 1;
                NewEvent e = factory.next(T0.plusMillis(seq), EventFixtures.TYPES.get((int) (seq % 8)));
                out.writeBytes(EventFixtures.line(e, seq, T0, i % 10 != 9)); // batches of 10
                records.add(EventRecord.of(EventFixtures.JOB, seq, e, T0));
            }
            Path f = dir.resolve("segment-" + segment + ".jsonl");
            Files.write(f, out.toByteArray());
            files.add(f);
        }
        JsonlScanner scanner = JsonlScanner.of(files);

        List<JsonNode> all = new ArrayList<>();
        assertThat(scanner.scanAll(all::add)).isEqualTo(120);
        assertThat(all).extracting(n -> n.get("sequence").asLong()).startsWith(1L, 2L, 3L).endsWith(120L);

        List<JsonNode> window = new ArrayList<>();
        long matched = scanner.scanTimeRange(T0.plusMillis(50), T0.plusMillis(60), window::add);
        assertThat(matched).isEqualTo(9);
        assertThat(window).extracting(n -> n.get("id").asText())
                .containsExactlyElementsOf(records.subList(50, 59).stream().map(EventRecord::id).toList());

        EventStats.Builder expected = EventStats.builder(EventFixtures.JOB);
        records.forEach(expected::add);
        assertThat(scanner.aggregate(EventFixtures.JOB)).isEqualTo(expected.build());
        assertThat(scanner.totalBytes())
                .isEqualTo(Files.size(files.get(0)) + Files.size(files.get(1)) + Files.size(files.get(2)));
    }

    @Test
    void aggregateOfAnEmptyLogIsEmpty() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        JobRef job = JobRef.of("r", "j");
        assertThat(JsonlScanner.of(List.of(empty)).aggregate(job)).isEqualTo(EventStats.empty(job));
    }
}
