package io.prodigy.storage.bench.records;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.bench.baseline.SqliteRecordStore;
import io.prodigy.storage.bench.support.BenchDirs;
import io.prodigy.storage.bench.support.Backends;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.session.PersistedSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;

/** Where the record benchmark saves and loads: the file backend through the SPI, or SQLite. */
interface RecordTarget extends AutoCloseable {

    PersistedSession saveSession(PersistedSession s) throws Exception;

    Optional<PersistedSession> loadSession(String id) throws Exception;

    Checkpoint saveCheckpoint(Checkpoint c) throws Exception;

    Optional<Checkpoint> loadCheckpoint(Checkpoint like) throws Exception;

    static RecordTarget open(String impl) throws Exception {
        Path dir = BenchDirs.newScratchDir("records-" + impl);
        try {
            return switch (impl) {
                case "file" -> new FileTarget(Backends.openFile(dir), dir);
                case "sqlite" -> new SqliteTarget(SqliteRecordStore.open(dir.resolve("records.db")), dir);
                default -> throw new IllegalArgumentException("Unknown record target '" + impl + "': use file or sqlite");
            };
        } catch (Exception e) {
            BenchDirs.deleteRecursively(dir);
            throw e;
        }
    }

    record FileTarget(UnifiedStorage storage, Path dir) implements RecordTarget {
        @Override
        public PersistedSession saveSession(PersistedSession s) {
            return storage.sessions().save(s);
        }

        @Override
        public Optional<PersistedSession> loadSession(String id) {
            return storage.sessions().load(id);
        }

        @Override
        public Checkpoint saveCheckpoint(Checkpoint c) {
            return storage.checkpoints().save(c);
        }

        @Override
        public Optional<Checkpoint> loadCheckpoint(Checkpoint like) {
            return storage.checkpoints().load(like.scope(), like.id());
        }

        @Override
        public void close() {
            try {
                storage.close();
            } finally {
                BenchDirs.deleteRecursively(dir);
            }
        }
    }

    record SqliteTarget(SqliteRecordStore store, Path dir) implements RecordTarget {
        @Override
        public PersistedSession saveSession(PersistedSession s) throws SQLException {
            return store.saveSession(s);
        }

        @Override
        public Optional<PersistedSession> loadSession(String id) throws SQLException {
            return store.loadSession(id);
        }

        @Override
        public Checkpoint saveCheckpoint(Checkpoint c) throws SQLException {
            return store.saveCheckpoint(c);
        }

        @Override
        public Optional<Checkpoint> loadCheckpoint(Checkpoint like) throws SQLException {
            return store.loadCheckpoint(like);
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
}
