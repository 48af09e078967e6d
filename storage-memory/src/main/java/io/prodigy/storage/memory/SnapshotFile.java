package io.prodigy.storage.memory;

import io.prodigy.storage.json.Json;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.error.StorageUnavailableException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot file of a memory store with {@code persist_to_disk}.
 *
 * <p><b>Atomic replacement.</b> A write goes to a temporary file in the same directory, is forced to disk, renamed
 * over the snapshot in one atomic step and the directory is forced too. A crash at any point leaves either the old
 * snapshot or the new one, never a torn file; a stray temporary file from a crash is removed on the next open.
 *
 * <p><b>One store per file.</b> An open store holds an OS lock on {@code <snapshot>.lock} (see {@link #claim()}).
 */
final class SnapshotFile {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFile.class);
    private static final String TEMP_SUFFIX = ".tmp";
    private static final String LOCK_SUFFIX = ".lock";

    private final Path file;
    private final Path lockFile;
    private FileChannel lockChannel;

    SnapshotFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = this.file.resolveSibling(this.file.getFileName() + LOCK_SUFFIX);
    }

    Path path() {
        return file;
    }

    /**
     * Takes an exclusive OS lock on {@code <snapshot>.lock} for as long as the store is open, so two stores (in this
     * process or another) never overwrite each other's snapshots. The OS drops the lock if the process dies.
     *
     * @throws StorageUnavailableException if another open store holds the snapshot, or the lock file cannot be made
     */
    void claim() {
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse();
            }
            lockChannel = channel;
        } catch (OverlappingFileLockException e) {
            throw inUse();
        } catch (IOException e) {
            throw new StorageUnavailableException("Could not lock the memory snapshot at '" + file + "' (lock file '"
                    + lockFile + "'): " + e + ". Check that persistence_path names a writable file or directory.",
                    e);
        } finally {
            if (lockChannel == null && channel != null) {
                closeQuietly(channel);
            }
        }
    }

    /** Releases the lock taken by {@link #claim()}. */
    void unclaim() {
        if (lockChannel != null) {
            closeQuietly(lockChannel); // closing the channel releases its lock
            lockChannel = null;
        }
    }

    private StorageUnavailableException inUse() {
        return new StorageUnavailableException("Memory snapshot '" + file + "' is in use by another open memory"
                + " storage (in this or another process). Close that storage first, or give this one its own"
                + " persistence_path.");
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Could not close {}: {}", channel, e.toString());
        }
    }

    /**
     * Reads the snapshot, or empty if there is none yet (first open).
     *
     * @throws CorruptionException         naming the path if the file is garbled or of an unknown layout
     * @throws StorageUnavailableException if the file cannot be read at all (permissions, not a directory)
     */
    Optional<MemorySnapshot> read() {
        removeStrayTempFiles();
        MemorySnapshot snapshot;
        try (InputStream in = Files.newInputStream(file)) {
            snapshot = Json.mapper().readValue(in, MemorySnapshot.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            // Garbled JSON, or a record its constructor rejects (a bad id, a missing field).
            throw corrupt(e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageUnavailableException("Could not read the memory snapshot at '" + file + "': " + e
                    + ". Check that persistence_path names a readable file (or a directory) and try again.", e);
        }
        if (snapshot == null) {
            throw corrupt("the file holds no snapshot", null);
        }
        if (snapshot.format() != MemorySnapshot.FORMAT) {
            throw corrupt("it has layout version " + snapshot.format() + ", but this version reads only version "
                    + MemorySnapshot.FORMAT, null);
        }
        return Optional.of(snapshot);
    }

    /** A {@link CorruptionException} for this file. */
    CorruptionException corrupt(String why, Throwable cause) {
        return new CorruptionException("Memory snapshot '" + file + "' cannot be loaded: " + why
                + ". Move the file aside to start with an empty store, or restore it from a backup.", cause);
    }

    /**
     * Replaces the snapshot atomically.
     *
     * @throws StorageFullException        if the disk is full (the previous snapshot is intact)
     * @throws StorageUnavailableException for any other I/O failure (the previous snapshot is intact)
     */
    void write(MemorySnapshot snapshot) {
        Path dir = file.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, file.getFileName().toString() + ".", TEMP_SUFFIX);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                Json.mapper().writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .writeValue(out, snapshot);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("No space left")) {
                throw new StorageFullException("Could not write the memory snapshot to '" + file
                        + "': the disk is full. Free disk space and call flush() or close() again; the data is"
                        + " still in memory and the previous snapshot is intact.", e);
            }
            throw new StorageUnavailableException("Could not write the memory snapshot to '" + file + "': " + e
                    + ". Check that the directory exists and is writable, then call flush() or close() again; the"
                    + " data is still in memory and the previous snapshot is intact.", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.warn("Could not delete temporary snapshot file {}: {}", temp, e.toString());
                }
            }
        }
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself durable. Some platforms cannot open a directory; the rename is still atomic there.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Could not fsync directory {}: {}", dir, e.toString());
        }
    }

    private void removeStrayTempFiles() {
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = file.getFileName().toString() + ".";
        DirectoryStream.Filter<Path> ours = p -> {
            String name = p.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX);
        };
        try (DirectoryStream<Path> strays = Files.newDirectoryStream(dir, ours)) {
            for (Path stray : strays) {
                Files.deleteIfExists(stray);
                LOG.info("Removed {}, left over from an interrupted snapshot write", stray);
            }
        } catch (IOException e) {
            LOG.warn("Could not clean temporary snapshot files in {}: {}", dir, e.toString());
        }
    }
}
