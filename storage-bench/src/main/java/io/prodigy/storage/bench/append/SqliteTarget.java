package io.prodigy.storage.bench.append;

import io.prodigy.storage.bench.baseline.SqliteEventStore;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.EventFixtures;
import io.prodigy.storage.bench.support.EventFixtures.EventFactory;
import java.nio.file.Path;
import java.sql.SQLException;

/** SQLite, WAL, {@code synchronous=FULL}: the embedded store a user would otherwise pick. */
final class SqliteTarget implements AppendTarget {

    private final Path dir;
    private final SqliteEventStore store;

    private SqliteTarget(Path dir, SqliteEventStore store) {
        this.dir = dir;
        this.store = store;
    }

    static SqliteTarget open() throws SQLException {
        Path dir = BenchDirs.newScratchDir("append-sqlite");
        try {
            return new SqliteTarget(dir, SqliteEventStore.open(dir.resolve("events.db"), false));
        } catch (SQLException | RuntimeException e) {
            BenchDirs.deleteRecursively(dir);
            throw e;
        }
    }

    @Override
    public Appender appender(int threadIndex, int batch) {
        EventFactory events = new EventFactory(AppendTarget.tag(threadIndex));
        return () -> {
            store.append(EventFixtures.JOB, events.batch(batch));
            return batch;
        };
    }

    @Override
    public void verify(long acknowledged) throws SQLException {
        long stored = store.lastSequence(EventFixtures.JOB);
        if (stored != acknowledged) {
            throw new IllegalStateException("SQLite holds " + stored + " events but " + acknowledged
                    + " appends were acknowledged");
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            store.close();
        } finally {
            BenchDirs.deleteRecursively(dir);
        }
    }
}
