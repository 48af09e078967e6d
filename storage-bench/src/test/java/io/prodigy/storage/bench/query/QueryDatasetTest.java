package io.prodigy.storage.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.baseline.SqliteEventStore;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three query targets must hold the same events, and the raw baseline must find the file backend's files. */
class QueryDatasetTest {

    @TempDir
    Path dir;

    private String previous;

    @BeforeEach
    void useTempDataDir() {
        previous = System.getProperty("bench.dataDir");
        System.setProperty("bench.dataDir", dir.toString());
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty("bench.dataDir");
        } else {
            System.setProperty("bench.dataDir", previous);
        }
    }

    @Test
    void everyTargetAnswersEveryQueryTheSame() throws Exception {
        QueryDataset ds = QueryDataset.ensure(3_000);
        assertThat(ds.windowSize()).isEqualTo(30);
        assertThat(ds.segmentFiles()).isNotEmpty().allSatisfy(p -> assertThat(p).isRegularFile());

        try (UnifiedStorage file = Backends.openFile(ds.fileBaseDir());
                SqliteEventStore sqlite = SqliteEventStore.open(ds.sqliteFile(), true)) {
            EventFilter window = EventFilter.forJob(QueryDataset.JOB).withAfter(ds.windowAfter())
                    .withBefore(ds.windowBefore());
            List<String> fromFile;
            try (Stream<EventRecord> s = file.events().query(window)) {
                fromFile = s.map(EventRecord::id).toList();
            }
            List<String> fromSqlite;
            try (Stream<EventRecord> s = sqlite.queryTimeRange(QueryDataset.JOB, ds.windowAfter(), ds.windowBefore())) {
                fromSqlite = s.map(EventRecord::id).toList();
            }
            List<String> fromJsonl = new java.util.ArrayList<>();
            ds.scanner().scanTimeRange(ds.windowAfter(), ds.windowBefore(), n -> fromJsonl.add(n.get("id").asText()));
            assertThat(fromFile).hasSize(30).isEqualTo(fromSqlite).isEqualTo(fromJsonl);

            assertThat(sqlite.aggregate(QueryDataset.JOB)).isEqualTo(file.events().aggregate(QueryDataset.JOB))
                    .isEqualTo(ds.scanner().aggregate(QueryDataset.JOB));
            assertThat(ds.scanner().scanAll(n -> { })).isEqualTo(3_000);
        }
    }

    @Test
    void aCompleteDataSetIsReusedAndAnIncompleteOneRebuilt() throws Exception {
        QueryDataset first = QueryDataset.ensure(500);
        Path segment = first.segmentFiles().get(0);
        long modified = Files.getLastModifiedTime(segment).toMillis();
        QueryDataset.ensure(500);
        assertThat(Files.getLastModifiedTime(segment).toMillis()).isEqualTo(modified);

        Files.delete(dir.resolve("query-500").resolve("complete"));
        QueryDataset rebuilt = QueryDataset.ensure(500);
        assertThat(rebuilt.scanner().scanAll(n -> { })).isEqualTo(500);
    }
}
