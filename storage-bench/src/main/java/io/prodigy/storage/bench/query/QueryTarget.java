package io.prodigy.storage.bench.query;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.baseline.JsonlScanner;
import io.prodigy.storage.bench.baseline.SqliteEventStore;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.event.EventFilter;
import io.prodigy.storage.event.EventRecord;
import io.prodigy.storage.event.EventStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The three ways the query benchmarks read the same job: the file backend through the SPI, SQLite, and a raw Jackson
 * parse of the file backend's own JSON lines. Each returns how many events it delivered, so the benchmark can check
 * the answer.
 */
interface QueryTarget extends AutoCloseable {

    /** Every event of the job, in order. */
    long scanAll(Consumer<Object> sink) throws Exception;

    /** The events with {@code after < timestamp < before}. */
    long scanWindow(QueryDataset ds, Consumer<Object> sink) throws Exception;

    /** The job's totals. */
    EventStats aggregate() throws Exception;

    /** Size of what this target reads from, in bytes. */
    long storedBytes() throws IOException;

    static QueryTarget open(String impl, QueryDataset ds) throws Exception {
        return switch (impl) {
            case "file" -> new FileTarget(Backends.openFile(ds.fileBaseDir()), ds);
            case "sqlite" -> new SqliteTarget(SqliteEventStore.open(ds.sqliteFile(), true), ds.sqliteFile());
            case "jsonl" -> new JsonlTarget(ds.scanner());
            default -> throw new IllegalArgumentException("Unknown query target '" + impl
                    + "': use file, sqlite or jsonl");
        };
    }

    /** The file backend, through {@code events().query} and {@code aggregate}. */
    record FileTarget(UnifiedStorage storage, QueryDataset ds) implements QueryTarget {
        @Override
        public long scanAll(Consumer<Object> sink) {
            return drain(storage.events().query(EventFilter.forJob(QueryDataset.JOB)), sink);
        }

        @Override
        public long scanWindow(QueryDataset d, Consumer<Object> sink) {
            EventFilter f = EventFilter.forJob(QueryDataset.JOB).withAfter(d.windowAfter()).withBefore(d.windowBefore());
            return drain(storage.events().query(f), sink);
        }

        @Override
        public EventStats aggregate() {
            return storage.events().aggregate(QueryDataset.JOB);
        }

        @Override
        public long storedBytes() throws IOException {
            long sum = 0;
            for (Path p : ds.segmentFiles()) {
                sum += Files.size(p);
            }
            return sum;
        }

        @Override
        public void close() {
            storage.close();
        }
    }

    /** SQLite with indexes on (job, sequence) and (job, time). */
    record SqliteTarget(SqliteEventStore store, Path file) implements QueryTarget {
        @Override
        public long scanAll(Consumer<Object> sink) throws SQLException {
            return drain(store.queryAll(QueryDataset.JOB), sink);
        }

        @Override
        public long scanWindow(QueryDataset d, Consumer<Object> sink) throws SQLException {
            return drain(store.queryTimeRange(QueryDataset.JOB, d.windowAfter(), d.windowBefore()), sink);
        }

        @Override
        public EventStats aggregate() throws SQLException {
            try {
                return store.aggregate(QueryDataset.JOB);
            } finally {
                store.endRead();
            }
        }

        @Override
        public long storedBytes() throws IOException {
            long sum = Files.size(file);
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            return Files.exists(wal) ? sum + Files.size(wal) : sum;
        }

        @Override
        public void close() throws SQLException {
            store.close();
        }
    }

    /** A raw Jackson tree parse of every line; time windows and totals computed from the parsed trees. */
    record JsonlTarget(JsonlScanner scanner) implements QueryTarget {
        @Override
        public long scanAll(Consumer<Object> sink) throws IOException {
            return scanner.scanAll(sink::accept);
        }

        @Override
        public long scanWindow(QueryDataset d, Consumer<Object> sink) throws IOException {
            return scanner.scanTimeRange(d.windowAfter(), d.windowBefore(), sink::accept);
        }

        @Override
        public EventStats aggregate() throws IOException {
            return scanner.aggregate(QueryDataset.JOB);
        }

        @Override
        public long storedBytes() throws IOException {
            return scanner.totalBytes();
        }

        @Override
        public void close() {
            // nothing held open between scans
        }
    }

    private static long drain(Stream<EventRecord> events, Consumer<Object> sink) {
        try (events) {
            long[] n = {0};
            events.forEach(e -> {
                sink.accept(e);
                n[0]++;
            });
            return n[0];
        }
    }
}
