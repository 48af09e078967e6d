package io.prodigy.storage.file.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that a crash cannot tear: write a temp file in the same directory, {@code fdatasync} it, rename it
 * over the target (atomic on POSIX), {@code fsync} the directory. A reader sees the old or the new content, never a
 * mix; after a crash the old or the new version is there.
 *
 * <p>That is the minimum for the guarantee, and the only system calls a write makes: open (create), write, fdatasync,
 * close, rename, and open, fsync, close of the directory. {@code fdatasync} is enough for the temp file: it flushes
 * the data and the metadata needed to read it back (size, blocks); its timestamps are not worth a second journal
 * write. Two syncs remain, and both are needed: without the first, a crash after the rename could leave the name
 * pointing at a file whose data never reached the disk (empty or garbage); without the second, the rename itself
 * may not survive a crash.
 *
 * <p>Temp files are named {@code .{target}.{random}.tmp}: the leading dot keeps them out of every listing (ids may
 * not start with a dot), the random part (64 bits, hex) keeps two writers from sharing one temp file. It comes from
 * {@link ThreadLocalRandom}, not from {@link java.util.UUID#randomUUID()}, whose {@code SecureRandom} is shared by all
 * threads and costs more than the name is worth: the name needs to be unlikely to collide, not unpredictable, and the
 * temp file is created with {@code O_EXCL}, so a collision fails (and is retried under a new name) instead of
 * sharing a file.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Replaces {@code target} with {@code content} atomically and durably. */
    public static void write(Path target, byte[] content) throws IOException {
        try (Prepared prepared = prepare(target, content)) {
            prepared.commit();
        }
    }

    /**
     * The first half of {@link #write}: the temp file created, written and forced, not yet renamed over
     * {@code target}. The caller decides: {@link Prepared#commit()} renames it into place and forces the directory;
     * closing without a commit deletes it. For a writer that has something to look at between the two halves (a
     * directory listing, whose access-time update would otherwise ride on the temp file's sync).
     */
    public static Prepared prepare(Path target, byte[] content) throws IOException {
        Path tmp = tempFileFor(target);
        try {
            FileChannel created;
            try {
                created = FileChannel.open(tmp, CREATE_TEMP, FileModes.fileAttributes());
            } catch (FileAlreadyExistsException e) { // another writer drew the same 64 random bits: draw again
                tmp = tempFileFor(target);
                created = FileChannel.open(tmp, CREATE_TEMP, FileModes.fileAttributes());
            }
            try (FileChannel ch = created) {
                writeFully(ch, ByteBuffer.wrap(content), 0);
                ch.force(false); // fdatasync: the data and the size, which is all a reader needs
            }
            return new Prepared(target, tmp);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** A forced temp file waiting to replace its target; see {@link #prepare}. Not thread-safe. */
    public static final class Prepared implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private boolean renamed;

        private Prepared(Path target, Path tmp) {
            this.target = target;
            this.tmp = tmp;
        }

        /** Renames the temp file over the target and forces the directory: the write is durable on return. */
        public void commit() throws IOException {
            moveAtomically(tmp, target);
            renamed = true;
            fsyncDirectory(target.getParent());
        }

        /** Deletes the temp file unless it was committed. */
        @Override
        public void close() {
            if (!renamed) {
                deleteQuietly(tmp);
            }
        }
    }

    private static final java.util.Set<java.nio.file.OpenOption> CREATE_TEMP = java.util.Set.of(
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);

    /** A fresh temp name next to {@code target}. */
    public static Path tempFileFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(
                ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /** Renames {@code from} over {@code to} atomically (falls back to a plain replace where unsupported). */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code file} durably; returns whether it existed. */
    public static boolean delete(Path file) throws IOException {
        boolean existed = Files.deleteIfExists(file);
        if (existed) {
            fsyncDirectory(file.getParent());
        }
        return existed;
    }

    /**
     * Makes a directory's entries (creations, renames, deletions) durable. File systems that cannot fsync a directory
     * (some non-Linux platforms) are tolerated: there the rename itself is the best available guarantee.
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            if (IoErrors.isDiskFull(e)) {
                throw e;
            }
            // Directories cannot be opened or forced on every platform; the data files themselves were forced.
        }
    }

    /** Writes the whole buffer at {@code position}, looping over short writes. */
    public static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
    }

    /** Best-effort delete for cleanup paths where a failure must not hide the original error. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The temp file stays; it is hidden and swept later.
        }
    }
}
