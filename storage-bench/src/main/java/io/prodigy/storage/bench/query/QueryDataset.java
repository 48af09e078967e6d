package io.prodigy.storage.bench.query;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.baseline.JsonlScanner;
import io.prodigy.storage.bench.baseline.SqliteEventStore;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The data set of the query benchmarks: one job of {@code events} events, stored three ways from the same events:
 * in the file backend (whose JSON-lines segments the raw Jackson baseline also reads) and in SQLite. Event {@code n}
 * (1-based) is stamped {@link #BASE} + (n − 1) ms and its type cycles through {@link EventFixtures#TYPES}.
 *
 * <p>Building a million-event job takes far longer than querying it, so the set is built once under
 * {@link BenchDirs#dataDir()} and reused by every fork; a {@code complete} marker is written last, so an interrupted
 * build is redone. {@code bench/run.sh} builds it before the suite starts ({@link #main}).
 */
public final class QueryDataset {

    /** The job queried. */
    public static final JobRef JOB = JobRef.of("bench-repo", "query-job");

    /** Timestamp of event 1. */
    public static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    private static final Duration SPACING = Duration.ofMillis(1);
    private static final int BUILD_BATCH = 1_000;
    private static final Pattern SEGMENT = Pattern.compile("events-\\d{8}_\\d{6}-(\\d{12,19})(?:-\\d{12,19})?\\.jsonl");

    private final Path root;
    private final int events;

    private QueryDataset(Path root, int events) {
        this.root = root;
        this.events = events;
    }

    /** Builds the data set of {@code events} events unless a complete one exists: {@code QueryDataset <events>}. */
    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long start = System.nanoTime();
        QueryDataset ds = ensure(events);
        System.out.printf("query data set of %,d events ready in %s (%.1f s)%n", events, ds.root,
                (System.nanoTime() - start) / 1e9);
    }

    /** The complete data set of {@code events} events, built first if needed. */
    public static QueryDataset ensure(int events) {
        Path root = BenchDirs.dataDir().resolve("query-" + events);
        try {
            Files.createDirectories(root);
            try (FileChannel lockFile = FileChannel.open(root.resolve("build.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                QueryDataset ds = new QueryDataset(root, events);
                if (!Files.exists(ds.marker())) {
                    ds.build();
                }
                return ds;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not build the query data set in " + root, e);
        }
    }

    public int events() {
        return events;
    }

    /** Base directory of the file backend holding the job. */
    public Path fileBaseDir() {
        return root.resolve("file");
    }

    /** The SQLite database holding the job (with a (job, time) index, as a user running time queries would add). */
    public Path sqliteFile() {
        return root.resolve("sqlite").resolve("events.db");
    }

    /** The file backend's event segments of the job, in sequence order (what the raw Jackson baseline parses). */
    public List<Path> segmentFiles() {
        Path dir = fileBaseDir().resolve("events").resolve(JOB.repository()).resolve(JOB.jobId());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segments = new ArrayList<>();
            files.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).forEach(segments::add);
            segments.sort(Comparator.comparingLong(QueryDataset::firstSequence));
            if (segments.isEmpty()) {
                throw new IllegalStateException("No event segments in " + dir + ": has the file layout changed?");
            }
            return segments;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list " + dir, e);
        }
    }

    /** A raw Jackson scanner over {@link #segmentFiles()}. */
    public JsonlScanner scanner() {
        return JsonlScanner.of(segmentFiles());
    }

    /** Timestamp of event {@code sequence}. */
    public static Instant timeOf(long sequence) {
        return BASE.plus(SPACING.multipliedBy(sequence - 1));
    }

    /** Exclusive lower bound of the time-range query: selects 1% of the job, from its middle. */
    public Instant windowAfter() {
        return timeOf(windowFirst()).minus(SPACING.dividedBy(2));
    }

    /** Exclusive upper bound of the time-range query. */
    public Instant windowBefore() {
        return timeOf(windowFirst() + windowSize()).minus(SPACING.dividedBy(2));
    }

    /** How many events the time-range query selects. */
    public long windowSize() {
        return events / 100;
    }

    private long windowFirst() {
        return events / 2;
    }

    private Path marker() {
        return root.resolve("complete");
    }

    private static long firstSequence(Path segment) {
        Matcher m = SEGMENT.matcher(segment.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(segment.toString());
        }
        return Long.parseLong(m.group(1));
    }

    private void build() throws IOException {
        BenchDirs.deleteRecursively(fileBaseDir());
        BenchDirs.deleteRecursively(sqliteFile().getParent());
        Files.createDirectories(sqliteFile().getParent());
        EventFactory factory = new EventFactory("q");
        try (UnifiedStorage file = Backends.openFile(fileBaseDir());
                SqliteEventStore sqlite = SqliteEventStore.open(sqliteFile(), true)) {
            long seq = 0;
            while (seq < events) {
                int n = (int) Math.min(BUILD_BATCH, events - seq);
                List<NewEvent> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long s = seq + i + 1;
                    batch.add(factory.next(timeOf(s), EventFixtures.TYPES.get((int) (s % EventFixtures.TYPES.size()))));
                }
                file.events().append(JOB, batch);
                sqlite.append(JOB, batch);
                seq += n;
            }
            long fileLast = file.events().lastSequence(JOB);
            long sqliteLast = sqlite.lastSequence(JOB);
            if (fileLast != events || sqliteLast != events) {
                throw new IllegalStateException("data set incomplete: file backend holds " + fileLast
                        + " events, SQLite " + sqliteLast + ", expected " + events);
            }
        } catch (SQLException e) {
            throw new IOException("Could not build the SQLite copy of the query data set", e);
        }
        Files.writeString(marker(), Integer.toString(events));
    }
}
